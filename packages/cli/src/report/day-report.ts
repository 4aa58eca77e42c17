import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidValueError } from '@gridtier/core/errors';
import type * as sim from '@gridtier/core/sim';
import { writeFilesAtomic } from '../framework/files.js';

type DaySummary = sim.DaySummary;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
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
    'index.html': page(s, view),
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

/**
 * The page: the dashboard's script (packages/web, one classic script, as browsers refuse ES
 * modules from disk) with the day's data as JSON in the page, so it opens with no server.
 */
function page(s: DaySummary, view: sim.DayView): string {
  // `<` escaped, so no text in the data or the script can close their script elements
  const data = JSON.stringify({ summary: s, view }).replace(/</g, '\\u003c');
  const script = webBundle().replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GridTier day: ${esc(s.scenario)}</title></head>
<body><div id="app"><noscript>This report draws its charts with JavaScript; summary.json and the CSV files beside it hold the same data.</noscript></div>
<script type="application/json" id="gridtier-day">${data}</script>
<script>${script}</script>
</body></html>
`;
}

let bundle: string | undefined;

/** The dashboard's built script; the build (npm run build) makes it. */
function webBundle(): string {
  if (bundle !== undefined) return bundle;
  const file = fileURLToPath(import.meta.resolve('@gridtier/web/dist/gridtier-web.js'));
  try {
    bundle = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InvalidValueError(`the dashboard's script ${file} is missing: run npm run build`, { cause });
  }
  return bundle;
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
