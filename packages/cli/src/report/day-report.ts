import type * as sim from '@gridtier/core/sim';
import { writeFilesAtomic } from '../framework/files.js';
import { heatmap, histogram, lineChart } from './svg.js';

type DayResult = sim.DayResult;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const money = (usd: number) =>
  usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const csv = (header: string[], rows: (string | number)[][]) =>
  `${header.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;

/** The report folder: an HTML page with the plots, and CSV and JSON of everything in it. */
export function writeDayReport(dir: string, r: DayResult): string[] {
  const files: Record<string, string> = {
    'summary.json': summaryJson(r),
    'dlmp-day-ahead.csv': csv(
      ['interval', 'bus', 'phase', 'total', 'energy', 'congestion', 'loss'],
      r.dayAhead.dlmp.map((d) => [d.interval, d.bus, d.phase, d.total, d.energy, d.congestion, d.loss]),
    ),
    'grid.csv': csv(
      ['step', 'hour', 'minVoltagePu', 'maxVoltagePu', 'lossesKw', 'substationKw'],
      Array.from(r.grid.minVoltagePu, (_, k) => [
        k,
        (k / 12).toFixed(3),
        r.grid.minVoltagePu[k],
        r.grid.maxVoltagePu[k],
        r.grid.lossesKw[k],
        r.grid.substationKw[k],
      ]),
    ),
    'vpp.csv': csv(
      ['step', ...r.vpps.flatMap((v) => [`${v.vpp}.goalKw`, `${v.vpp}.enabledKw`])],
      Array.from({ length: 288 }, (_, k) => [k, ...r.vpps.flatMap((v) => [v.goalKw[k], v.enabledKw[k]])]),
    ),
    'real-time.csv': csv(
      ['interval', 'dlmpMin', 'dlmpMean', 'dlmpMax'],
      r.realTime.dlmpMeanUsdPerMwh.map((m, i) => [
        i,
        r.realTime.dlmpMinUsdPerMwh[i],
        m,
        r.realTime.dlmpMaxUsdPerMwh[i],
      ]),
    ),
    'layer1.csv': csv(
      ['slot', 'kwh', 'usdPerKwh'],
      r.layer1BySlot.map((s, i) => [i, s.kwh, s.usdPerKwh]),
    ),
    'prosumers.csv': csv(
      ['id', 'vpp', 'microgrid', 'netKwh', 'hierarchyUsd', 'baselineUsd', 'savingsUsd'],
      r.hierarchy.prosumers.map((p) => [
        p.id,
        p.vpp,
        p.microgrid,
        p.netKwh,
        p.hierarchyUsd,
        p.baselineUsd,
        p.savingsUsd,
      ]),
    ),
    'index.html': page(r),
  };
  writeFilesAtomic(dir, files);
  return Object.keys(files);
}

/** The summary as JSON text (the report's summary.json and `--format json`). */
export function summaryJson(r: DayResult): string {
  return `${JSON.stringify(summary(r), null, 2)}\n`;
}

/** The numbers a reader checks first. */
function summary(r: DayResult) {
  const h = r.hierarchy;
  const da = r.dayAhead;
  const prices = da.dlmp.map((d) => d.total);
  return {
    scenario: r.scenario,
    seed: r.seed,
    prosumers: r.prosumers,
    iso: { dayAheadUsdPerMwh: r.iso.dayAheadUsdPerMwh },
    dayAhead: {
      status: da.status,
      objectiveUsd: da.objectiveUsd,
      dlmps: da.dlmp.length,
      dlmpMinUsdPerMwh: Math.min(...prices),
      dlmpMaxUsdPerMwh: Math.max(...prices),
      acIterations: da.iterations.length,
      binding: da.binding.length,
    },
    realTime: {
      intervals: r.realTime.intervals,
      relaxedIntervals: r.realTime.relaxedIntervals,
      deviationUsd: r.realTime.deviationUsd,
    },
    vpps: r.vpps.map((v) => ({
      vpp: v.vpp,
      devices: v.devices,
      eventHours: v.eventHours,
      shedKwh: v.shedKwh,
      rmsTrackingErrorPct: v.rmsTrackingErrorPct,
      maxTierOrderViolations: v.maxTierOrderViolations,
    })),
    p2p: { layers: h.layers, ledger: h.ledger, summary: h.summary },
    grid: {
      minVoltagePu: Math.min(...r.grid.minVoltagePu),
      maxVoltagePu: Math.max(...r.grid.maxVoltagePu),
      violations: r.grid.violations,
      worstNode: r.grid.worstNode || null,
      convergedSteps: r.grid.converged,
      lossesKwh: r.grid.lossesKw.reduce((a, x) => a + x, 0) / 12,
    },
    settlement: {
      ...r.settlement,
      merkleRoots: undefined,
      lastMerkleRoot: r.settlement.merkleRoots.at(-1) ?? null,
    },
    timingMs: r.timingMs,
  };
}

function page(r: DayResult): string {
  const s = summary(r);
  const buses = [...new Set(r.dayAhead.dlmp.map((d) => d.bus))];
  const at = new Map(buses.map((b, i) => [b, i]));
  const sum = buses.map(() => new Array(24).fill(0));
  const cnt = buses.map(() => new Array(24).fill(0));
  for (const d of r.dayAhead.dlmp) {
    sum[at.get(d.bus)!][d.interval] += d.total;
    cnt[at.get(d.bus)!][d.interval]++;
  }
  const grid = sum.map((row, b) => row.map((v, h) => (cnt[b][h] ? v / cnt[b][h] : Number.NaN)));
  const order = buses.map((_, i) => i).sort((a, b) => mean(grid[a]) - mean(grid[b]));
  const [vLo, vHi] = r.voltageLimitsPu;
  const colors = ['#1f5fbf', '#d03030', '#2a9d4b', '#e0a000', '#7a3fb0', '#333'];
  const sections = [
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
      'Voltage extremes every five minutes (pu)',
      lineChart('voltage extremes', 'pu', 24, [
        { name: 'min', color: colors[0], values: r.grid.minVoltagePu },
        { name: 'max', color: colors[1], values: r.grid.maxVoltagePu },
        { name: `limit ${vLo}`, color: '#999', values: new Array(288).fill(vLo), dashed: true },
        { name: `limit ${vHi}`, color: '#999', values: new Array(288).fill(vHi), dashed: true },
      ]),
    ],
    [
      'VPP tracking: goal (dashed) and enabled demand of each fleet (kW)',
      lineChart(
        'VPP tracking',
        'kW',
        24,
        r.vpps.flatMap((v, i) => [
          { name: v.vpp, color: colors[i % colors.length], values: v.enabledKw },
          { name: `${v.vpp} goal`, color: colors[i % colors.length], values: v.goalKw, dashed: true },
        ]),
      ),
    ],
    [
      'Peer-to-peer Layer I: energy traded per 30-minute slot (kWh) and its price ($/kWh × 1000)',
      lineChart('P2P volumes and prices', 'kWh, m$/kWh', 24, [
        { name: 'kWh traded', color: colors[0], values: r.layer1BySlot.map((x) => x.kwh) },
        { name: 'price (m$/kWh)', color: colors[1], values: r.layer1BySlot.map((x) => 1000 * x.usdPerKwh) },
      ]),
    ],
    [
      'Real-time market: DLMP range over the feeder per interval ($/MWh)',
      lineChart('RTM DLMPs', '$/MWh', 24, [
        { name: 'min', color: colors[0], values: r.realTime.dlmpMinUsdPerMwh },
        { name: 'mean', color: colors[2], values: r.realTime.dlmpMeanUsdPerMwh },
        { name: 'max', color: colors[1], values: r.realTime.dlmpMaxUsdPerMwh },
      ]),
    ],
    [
      'Prosumer savings against the top-down baseline (utility tariff with net metering), $ per day',
      histogram(
        'savings',
        r.hierarchy.prosumers.map((p) => p.savingsUsd),
        30,
        '$',
      ),
    ],
  ];
  const st = r.settlement;
  const rows = [
    ['prosumers', String(r.prosumers)],
    [
      'day-ahead market',
      `${s.dayAhead.status}, ${s.dayAhead.dlmps} DLMPs, ${s.dayAhead.dlmpMinUsdPerMwh.toFixed(1)}–${s.dayAhead.dlmpMaxUsdPerMwh.toFixed(1)} $/MWh`,
    ],
    [
      'real-time market',
      `${s.realTime.intervals} intervals, deviations settled ${money(s.realTime.deviationUsd)} $`,
    ],
    [
      'grid',
      `V ${s.grid.minVoltagePu.toFixed(4)}–${s.grid.maxVoltagePu.toFixed(4)} pu, ${s.grid.violations} violations, losses ${s.grid.lossesKwh.toFixed(0)} kWh`,
    ],
    [
      'P2P savings',
      `total ${money(r.hierarchy.summary.totalSavingsUsd)} $, ${(100 * r.hierarchy.summary.savingShare).toFixed(0)} % of prosumers save`,
    ],
    [
      'settlement',
      `${st.intervals} intervals, ${st.trades} trades, ${(st.deliveredWh / 1000).toFixed(1)} kWh verified of ${(st.contractedWh / 1000).toFixed(1)} contracted, paid ${money(st.paidMicroUsd / 1e6)} $, imbalance ${money(st.imbalanceMicroUsd / 1e6)} $`,
    ],
    ['ledger sums (µ$, Wh, loyalty)', `${st.sums.usd}, ${st.sums.energy}, ${st.sums.loyalty}`],
    [
      'wall time per tier (ms)',
      Object.entries(r.timingMs)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', '),
    ],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GridTier day: ${esc(r.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:980px}h2{font-size:16px;margin-top:28px}td{padding:2px 12px 2px 0;vertical-align:top}</style>
</head><body>
<h1>GridTier: one day of the hierarchy — ${esc(r.scenario)} (seed ${r.seed})</h1>
<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
${sections.map(([title, svg]) => `<h2>${esc(title)}</h2>\n${svg}`).join('\n')}
<p>Data: summary.json, dlmp-day-ahead.csv, real-time.csv, grid.csv, vpp.csv, layer1.csv, prosumers.csv.</p>
</body></html>
`;
}

function mean(xs: number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.reduce((a, x) => a + x, 0) / Math.max(1, f.length);
}

/** The console's summary: one line per tier. */
export function consoleSummary(r: DayResult, ms: number): string {
  const s = summary(r);
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    `${r.scenario}: ${r.prosumers} prosumers, seed ${r.seed}, ${f(ms / 1000)} s`,
    `day-ahead LEM   ${s.dayAhead.status}, DLMP ${f(s.dayAhead.dlmpMinUsdPerMwh)}–${f(s.dayAhead.dlmpMaxUsdPerMwh)} $/MWh over ${s.dayAhead.dlmps} bus-phase-hours, ${s.dayAhead.acIterations} AC iterations`,
    `VPPs            ${s.vpps.map((v) => `${v.vpp} ${f(v.shedKwh)} kWh shed (rms ${f(v.rmsTrackingErrorPct, 2)} %)`).join('; ')}`,
    `P2P             Layer I ${s.p2p.layers.layer1.trades} trades ${f(s.p2p.layers.layer1.kwh)} kWh; savings ${f(s.p2p.summary.totalSavingsUsd, 2)} $, ${f(100 * s.p2p.summary.savingShare, 0)} % save; money sums to ${f(s.p2p.ledger.prosumersUsd + s.p2p.ledger.utilityUsd + s.p2p.ledger.isoUsd + s.p2p.ledger.operatorUsd, 6)}`,
    `real-time LEM   ${s.realTime.intervals} intervals, deviations ${f(s.realTime.deviationUsd, 2)} $`,
    `grid            V ${f(s.grid.minVoltagePu, 4)}–${f(s.grid.maxVoltagePu, 4)} pu, ${s.grid.violations} violations${s.grid.worstNode ? ` (worst ${s.grid.worstNode})` : ''}, losses ${f(s.grid.lossesKwh)} kWh`,
    `settlement      ${s.settlement.intervals} intervals, ${f(s.settlement.deliveredWh / 1000)} of ${f(s.settlement.contractedWh / 1000)} kWh verified, ledger sums ${s.settlement.sums.usd}/${s.settlement.sums.energy}/${s.settlement.sums.loyalty}`,
    `wall time (ms)  ${Object.entries(r.timingMs)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ')}`,
    '',
  ].join('\n');
}
