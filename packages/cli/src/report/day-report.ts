import type * as sim from '@gridtier/core/sim';
import { writeFilesAtomic } from '../framework/files.js';
import { dashboardPage } from './page.js';

type DaySummary = sim.DaySummary;

const csv = (header: string[], rows: (string | number | null)[][]) =>
  `${header.join(',')}\n${rows.map((r) => r.map((x) => (x === null ? '' : x)).join(',')).join('\n')}\n`;

/** The summary as JSON text: the report's summary.json and `--format json`. */
export function summaryJson(s: DaySummary): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** The report folder's files made from the day's summary and view: the dashboard's page, CSV and JSON. */
export function dayReportFiles(s: DaySummary, view: sim.DayView): Record<string, string> {
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
    // the dashboard's views on the recorded day
    'index.html': dashboardPage(`GridTier day: ${s.scenario}`, 'gridtier-day', { summary: s, view }),
  };
}

/** Writes the report folder; returns the files' names. */
export function writeDayReport(
  dir: string,
  s: DaySummary,
  view: sim.DayView,
  extra: Record<string, string> = {},
): string[] {
  const files = { ...dayReportFiles(s, view), ...extra };
  writeFilesAtomic(dir, files);
  return Object.keys(files);
}

const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x) && x > 0);
const min = (xs: number[]) => Math.min(...finite(xs));
const max = (xs: number[]) => Math.max(...finite(xs));

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
