import * as der from '@gridtier/core/der';
import { UsageError } from '../../framework/errors.js';
import { writeFileAtomic, writeFilesAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { MAX_HOUSEHOLD_DAYS, type options } from './command.js';

type Result = der.household.SimulationResult;
type Pattern = der.household.Pattern;

/** gridtier hems simulate: households' days under each appliance pattern and contract choice. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  if (o.households * o.days > MAX_HOUSEHOLD_DAYS)
    throw new UsageError(
      `--households × --days is ${(o.households * o.days).toLocaleString('en-US')}; at most ${MAX_HOUSEHOLD_DAYS.toLocaleString('en-US')}`,
    );
  const r = der.household.simulateHouseholds({ households: o.households, days: o.days, seed: o.seed });
  if (o.report !== undefined) {
    writeFilesAtomic(o.report, { 'hems.csv': hourlyCsv(r), 'hems.svg': svgPlot(r) });
    io.stderr(`report: ${o.report}/hems.csv, hems.svg\n`);
  }
  const text =
    o.format === 'json'
      ? `${JSON.stringify(summary(r), null, 2)}\n`
      : o.format === 'csv'
        ? hourlyCsv(r)
        : table(r);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

/** The result without its hourly series, which go to the CSV. */
function summary(r: Result) {
  const patterns = Object.fromEntries(
    der.household.PATTERNS.map((p) => {
      const { scheduledLoadKwh: _, ...rest } = r.patterns[p];
      return [p, rest];
    }),
  );
  return { households: r.households, days: r.days, seed: r.seed, patterns, contracts: r.contracts };
}

function table(r: Result): string {
  const f = (x: number, d = 3) => x.toFixed(d).padStart(10);
  const lines = [
    `${r.households} households, ${r.days} days, seed ${r.seed}: mean per household and day, $`,
    '',
    `${'pattern'.padEnd(16)}${['total', 'appliance', 'day-ahead', 'intraday', 'imbalance', '|imb| kWh', 'id kWh', 'local kWh'].map((h) => h.padStart(10)).join('')}`,
    ...der.household.PATTERNS.map((p) => {
      const x = r.patterns[p];
      return `${p.padEnd(16)}${f(x.meanCostUsd)}${f(x.meanApplianceCostUsd)}${f(x.meanDayAheadUsd)}${f(x.meanIntradayUsd)}${f(x.meanImbalanceUsd)}${f(x.meanAbsImbalanceKwh, 2)}${f(x.meanIntradayKwh, 2)}${f(x.localTradedKwh, 1)}`;
    }),
    'id kWh: energy bought and sold in the hourly intraday rounds; local kWh: traded among households day-ahead',
    '',
    `contracts for the ${r.contracts.pattern} pattern's planned deficits, hour by hour:`,
    `${'contract'.padEnd(16)}${'total'.padStart(10)}`,
    ...(['spot', 'forward', 'option', 'chosen'] as const).map(
      (c) => `${c.padEnd(16)}${f(r.contracts[c].meanCostUsd)}`,
    ),
    `chosen by chooseContract: ${Object.entries(r.contracts.chosen.hoursByKind)
      .map(([k, n]) => `${k} ${n} h`)
      .join(', ')}`,
    '',
  ];
  return lines.join('\n');
}

/** The hourly prices and every pattern's scheduled job load. */
function hourlyCsv(r: Result): string {
  const patterns = der.household.PATTERNS;
  const rows = [`hour,dayAheadUsdPerKwh,realizedUsdPerKwh,${patterns.map((p) => `${p}Kwh`).join(',')}`];
  r.prices.realizedUsdPerKwh.forEach((rt, h) => {
    const loads = patterns.map((p) => r.patterns[p].scheduledLoadKwh[h].toFixed(3));
    rows.push([h, r.prices.dayAheadUsdPerKwh[h].toFixed(5), rt.toFixed(5), ...loads].join(','));
  });
  return `${rows.join('\n')}\n`;
}

/** At most `points` bucket means, so a long run still makes a small plot. */
function downsample(xs: readonly number[], points: number): number[] {
  if (xs.length <= points) return [...xs];
  return Array.from({ length: points }, (_, i) => {
    const from = Math.floor((i * xs.length) / points);
    const to = Math.floor(((i + 1) * xs.length) / points);
    let s = 0;
    for (let k = from; k < to; k++) s += xs[k];
    return s / (to - from);
  });
}

const COLOURS: Record<Pattern, string> = {
  normal: '#555555',
  prediction: '#1f5fbf',
  costAcceptance: '#2a9d4b',
  priceAcceptance: '#d03030',
};

/** The realized price above, every pattern's scheduled job load below, against the hour. */
function svgPlot(r: Result): string {
  const w = 900;
  const panel = 200;
  const pad = 50;
  const points = 300;
  const hours = r.prices.realizedUsdPerKwh.length;
  // one scale per panel, so the patterns' loads compare
  const line = (ys: number[], top: number, lo: number, hi: number, colour: string) => {
    const x = (k: number) => pad + ((w - 2 * pad) * k) / Math.max(1, ys.length - 1);
    const y = (v: number) => top + panel - (panel * (v - lo)) / (hi - lo || 1);
    const d = ys.map((v, k) => `${k ? 'L' : 'M'}${x(k).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.2"/>`;
  };
  const prices = downsample(r.prices.realizedUsdPerKwh, points);
  const priceLo = Math.min(0, ...prices);
  const priceHi = Math.max(...prices);
  const loads = der.household.PATTERNS.map((p) => downsample(r.patterns[p].scheduledLoadKwh, points));
  const loadMax = Math.max(...loads.flat());
  const legend = der.household.PATTERNS.map(
    (p, i) =>
      `<text x="${pad + 130 * i}" y="${2 * panel + 2 * pad + 20}" font-size="12" fill="${COLOURS[p]}">${p}</text>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${2 * panel + 3 * pad}" viewBox="0 0 ${w} ${2 * panel + 3 * pad}">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="${pad - 10}" font-size="12">realized price, $/kWh (${priceLo.toFixed(3)} – ${priceHi.toFixed(3)}${hours > points ? ', bucket means' : ''})</text>
${line(prices, pad, priceLo, priceHi, '#222222')}
<text x="${pad}" y="${panel + 2 * pad - 10}" font-size="12">scheduled job load of all households, kWh (max ${loadMax.toFixed(1)}); ${hours} hours</text>
${der.household.PATTERNS.map((p, i) => line(loads[i], panel + 2 * pad, 0, loadMax, COLOURS[p])).join('\n')}
${legend}
</svg>
`;
}
