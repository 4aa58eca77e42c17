import type * as sim from '@gridtier/core/sim';
import { HOURS_PER_DAY } from '@gridtier/core/time';
import { writeFilesAtomic } from '../framework/files.js';
import { heatmap, histogram, lineChart } from './svg.js';

type DaySummary = sim.DaySummary;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const money = (usd: number) =>
  usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const csv = (header: string[], rows: (string | number | null)[][]) =>
  `${header.join(',')}\n${rows.map((r) => r.map((x) => (x === null ? '' : x)).join(',')).join('\n')}\n`;

/** The summary as JSON text: the report's summary.json and `--format json`. */
export function summaryJson(s: DaySummary): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** The report folder's files made from the day's summary: an HTML page with the plots, CSV and JSON. */
export function dayReportFiles(s: DaySummary): Record<string, string> {
  const da = s.lem.dayAhead;
  return {
    'summary.json': summaryJson(s),
    'dlmp-day-ahead.csv': csv(
      ['node', ...Array.from({ length: da?.totalUsdPerMwh.length ?? 0 }, (_, h) => `h${h}`)],
      (da?.nodes ?? []).map((n, i) => [n, ...da!.totalUsdPerMwh.map((iv) => iv[i])]),
    ),
    'grid.csv': csv(
      ['interval', 'minVoltagePu', 'maxVoltagePu'],
      s.grid.minVoltagePu.map((v, k) => [k, v, s.grid.maxVoltagePu[k]]),
    ),
    'vpp.csv': csv(
      ['interval', ...s.vpps.flatMap((v) => [`${v.vpp}.goalKw`, `${v.vpp}.enabledKw`])],
      (s.vpps[0]?.enabledKw ?? []).map((_, k) => [
        k,
        ...s.vpps.flatMap((v) => [v.goalKw[k], v.enabledKw[k]]),
      ]),
    ),
    'real-time.csv': csv(
      ['interval', 'dlmpMin', 'dlmpMean', 'dlmpMax'],
      s.lem.realTime.meanUsdPerMwh.map((m, k) => [
        k,
        s.lem.realTime.minUsdPerMwh[k],
        m,
        s.lem.realTime.maxUsdPerMwh[k],
      ]),
    ),
    'layer1.csv': csv(
      ['slot', 'kwh', 'usdPerKwh'],
      s.p2p.layer1.bySlot.map((b, i) => [i, b.kwh, b.usdPerKwh]),
    ),
    'households.csv': csv(
      ['id', 'costUsd', 'netMeteringUsd', 'retailFeedInUsd'],
      s.households.perHousehold.map((h) => [h.id, h.costUsd, h.netMeteringUsd, h.retailFeedInUsd]),
    ),
    'index.html': page(s),
  };
}

/** Writes the report folder; returns the files' names. */
export function writeDayReport(dir: string, s: DaySummary, extra: Record<string, string> = {}): string[] {
  const files = { ...dayReportFiles(s), ...extra };
  writeFilesAtomic(dir, files);
  return Object.keys(files);
}

function page(s: DaySummary): string {
  const da = s.lem.dayAhead;
  const buses = [...new Set((da?.nodes ?? []).map((n) => n.slice(0, n.lastIndexOf('.'))))];
  const at = new Map(buses.map((b, i) => [b, i]));
  const sum = buses.map(() => new Array<number>(HOURS_PER_DAY).fill(0));
  const cnt = buses.map(() => new Array<number>(HOURS_PER_DAY).fill(0));
  da?.nodes.forEach((n, i) => {
    const b = at.get(n.slice(0, n.lastIndexOf('.')))!;
    da.totalUsdPerMwh.forEach((iv, h) => {
      sum[b][h] += iv[i];
      cnt[b][h]++;
    });
  });
  const grid = sum.map((row, b) => row.map((v, h) => (cnt[b][h] ? v / cnt[b][h] : Number.NaN)));
  const order = buses.map((_, i) => i).sort((a, b) => mean(grid[a]) - mean(grid[b]));
  const [vLo, vHi] = s.grid.voltageLimitsPu;
  const steps = s.grid.minVoltagePu.length;
  const colors = ['#1f5fbf', '#d03030', '#2a9d4b', '#e0a000', '#7a3fb0', '#333'];
  const sections: [string, string][] = [
    [
      'Day-ahead DLMP over the feeder by hour ($/MWh, each row a bus, mean over its phases)',
      heatmap(
        'DLMP heatmap',
        order.map((i) => buses[i]),
        order.map((i) => grid[i]),
        '$/MWh',
      ),
    ],
    [
      'Voltage extremes every five minutes, from the DSO’s power flow of the metered state (pu)',
      lineChart('voltage extremes', 'pu', HOURS_PER_DAY, [
        { name: 'min', color: colors[0], values: s.grid.minVoltagePu },
        { name: 'max', color: colors[1], values: s.grid.maxVoltagePu },
        { name: `limit ${vLo}`, color: '#999', values: new Array(steps).fill(vLo), dashed: true },
        { name: `limit ${vHi}`, color: '#999', values: new Array(steps).fill(vHi), dashed: true },
      ]),
    ],
    [
      'VPP fleets: goal (dashed) and enabled demand (kW)',
      lineChart(
        'VPP tracking',
        'kW',
        HOURS_PER_DAY,
        s.vpps.flatMap((v, i) => [
          { name: v.vpp, color: colors[i % colors.length], values: v.enabledKw },
          {
            name: `${v.vpp} goal`,
            color: colors[i % colors.length],
            values: v.goalKw.map((g, k) => g ?? v.fullKw[k]),
            dashed: true,
          },
        ]),
      ),
    ],
    [
      'Peer-to-peer Layer I: energy traded per 30-minute slot (kWh) and its price ($/kWh × 1000)',
      lineChart('P2P volumes and prices', 'kWh, m$/kWh', HOURS_PER_DAY, [
        { name: 'kWh traded', color: colors[0], values: s.p2p.layer1.bySlot.map((x) => x.kwh) },
        {
          name: 'price (m$/kWh)',
          color: colors[1],
          values: s.p2p.layer1.bySlot.map((x) => 1000 * x.usdPerKwh),
        },
      ]),
    ],
    [
      'Real-time market: DLMP range over the feeder per interval ($/MWh)',
      lineChart('RTM DLMPs', '$/MWh', HOURS_PER_DAY, [
        { name: 'min', color: colors[0], values: s.lem.realTime.minUsdPerMwh },
        { name: 'mean', color: colors[2], values: s.lem.realTime.meanUsdPerMwh },
        { name: 'max', color: colors[1], values: s.lem.realTime.maxUsdPerMwh },
      ]),
    ],
    [
      'Household savings against net metering, $ per day (positive: the household saves)',
      histogram(
        'savings',
        s.households.perHousehold.map((h) => h.costUsd - h.netMeteringUsd),
        30,
        '$',
      ),
    ],
  ];
  const st = s.settlement;
  const sv = s.households.savingsVsNetMetering;
  const sr = s.households.savingsVsRetailFeedIn;
  const rows = [
    ['prosumers', String(s.prosumers)],
    ['events', `${s.events}`],
    [
      'activity',
      Object.entries(s.activity)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    [
      'day-ahead market',
      da ? `${da.status}, ${da.nodes.length} nodes × ${da.totalUsdPerMwh.length} hours` : 'not run',
    ],
    [
      'real-time market',
      Object.entries(s.lem.realTime.statuses)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
    ],
    [
      'grid',
      `V ${min(s.grid.minVoltagePu).toFixed(4)}–${max(s.grid.maxVoltagePu).toFixed(4)} pu, ${s.grid.violations} node-intervals outside the limits, losses ${s.grid.lossesKwh.toFixed(0)} kWh`,
    ],
    [
      'savings vs net metering',
      `median ${money(sv.medianUsd)} $, ${(100 * sv.shareSaving).toFixed(0)} % save, worst decile ${money(sv.worstDecileUsd)} $`,
    ],
    [
      'savings vs retail and feed-in',
      `median ${money(sr.medianUsd)} $, ${(100 * sr.shareSaving).toFixed(0)} % save, worst decile ${money(sr.worstDecileUsd)} $`,
    ],
    [
      'money by account ($)',
      `${Object.entries(s.money.byAccount)
        .map(([k, v]) => `${k} ${money(v)}`)
        .join(', ')}; sum ${s.money.sumUsd}`,
    ],
    [
      'settlement',
      `${st.intervals} slots, ${st.trades} trades, ${(st.deliveredWh / 1000).toFixed(1)} kWh verified, shortfall ${(st.shortfallWh / 1000).toFixed(1)} kWh, paid ${money(st.paidMicroUsd / 1e6)} $`,
    ],
    [
      'ledger sums (µ$, Wh, loyalty)',
      st.sums ? `${st.sums.usd}, ${st.sums.energy}, ${st.sums.loyalty}` : 'not closed',
    ],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GridTier day: ${esc(s.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:980px}h2{font-size:16px;margin-top:28px}td{padding:2px 12px 2px 0;vertical-align:top}</style>
</head><body>
<h1>GridTier: one day of the hierarchy — ${esc(s.scenario)} (seed ${s.seed}, ${esc(s.date)})</h1>
<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
${sections.map(([title, svg]) => `<h2>${esc(title)}</h2>\n${svg}`).join('\n')}
<p>Data: summary.json, events.jsonl (every event of the day), dlmp-day-ahead.csv, real-time.csv, grid.csv, vpp.csv, layer1.csv, households.csv.</p>
</body></html>
`;
}

const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x) && x > 0);
const min = (xs: number[]) => Math.min(...finite(xs));
const max = (xs: number[]) => Math.max(...finite(xs));

function mean(xs: number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.reduce((a, x) => a + x, 0) / Math.max(1, f.length);
}

/** The console's summary: one line per part of the day. */
export function consoleSummary(s: DaySummary, wallMs: Record<string, number>, ms: number): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  const sv = s.households.savingsVsNetMetering;
  return [
    `${s.scenario}: ${s.prosumers} prosumers, seed ${s.seed}, ${s.date}, ${s.events} events, ${f(ms / 1000)} s`,
    `activity        ${Object.entries(s.activity)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `day-ahead LEM   ${s.lem.dayAhead?.status ?? 'not run'}`,
    `real-time LEM   ${Object.entries(s.lem.realTime.statuses)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
    `VPPs            ${s.vpps.map((v) => `${v.vpp} ${f(v.shedKwh)} kWh shed (rms ${f(v.rmsTrackingErrorPct, 2)} %)`).join('; ')}`,
    `P2P             Layer I ${s.p2p.layer1.trades} trades ${f(s.p2p.layer1.kwh)} kWh; Layer II ${s.p2p.ancillary.commitments} commitments ${f(s.p2p.ancillary.kwh)} kWh; Layer III ${s.p2p.layer3.trades} trades; intraday ${s.p2p.intraday.trades} trades`,
    `households      savings vs net metering: median ${f(sv.medianUsd, 2)} $, ${f(100 * sv.shareSaving, 0)} % save, worst decile ${f(sv.worstDecileUsd, 2)} $`,
    `grid            V ${f(min(s.grid.minVoltagePu), 4)}–${f(max(s.grid.maxVoltagePu), 4)} pu, ${s.grid.violations} violations${s.grid.worstNode ? ` (worst ${s.grid.worstNode})` : ''}, losses ${f(s.grid.lossesKwh)} kWh`,
    `money           sums to ${s.money.sumUsd} $ over ${Object.keys(s.money.byAccount).join(', ')}`,
    `settlement      ${s.settlement.intervals} slots, ${f(s.settlement.deliveredWh / 1000)} kWh verified, ledger sums ${s.settlement.sums ? Object.values(s.settlement.sums).join('/') : '-'}`,
    `wall time (ms)  ${Object.entries(wallMs)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ')}`,
    '',
  ].join('\n');
}
