import * as der from '@gridtier/core/der';
import { UsageError } from '../../framework/errors.js';
import { writeFileAtomic, writeFilesAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { bucketMeans, chartsPage } from '../../report/page.js';
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
    writeFilesAtomic(o.report, { 'hems.csv': hourlyCsv(r), 'hems.html': chartPage(r) });
    io.stderr(`report: ${o.report}/hems.csv, hems.html\n`);
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
const COLOURS: Record<Pattern, string> = {
  normal: '#555555',
  prediction: '#4e79a7',
  costAcceptance: '#59a14f',
  priceAcceptance: '#e15759',
};

/** The realized price, and every pattern's scheduled job load, against the hour (bucket means beyond 300 points). */
function chartPage(r: Result): string {
  const points = 300;
  const hours = r.prices.realizedUsdPerKwh.length;
  const x = bucketMeans(
    Array.from({ length: hours }, (_, h) => h),
    points,
  );
  const means = hours > points ? ' (means of equal runs of hours)' : '';
  return chartsPage(
    'GridTier hems simulate',
    [`${r.households} households over ${r.days} days (${hours} hours); hems.csv holds every hour.`],
    [
      {
        title: `Realized price${means}`,
        x,
        xLabel: 'hour of the simulation',
        yLabel: 'price, $/kWh',
        fromZero: true,
        series: [
          {
            label: 'realized price',
            color: '#222222',
            values: bucketMeans(r.prices.realizedUsdPerKwh, points),
          },
        ],
      },
      {
        title: `Scheduled job load of all households by pattern${means}`,
        x,
        xLabel: 'hour of the simulation',
        yLabel: 'energy per hour, kWh',
        fromZero: true,
        series: der.household.PATTERNS.map((p) => ({
          label: p,
          color: COLOURS[p],
          values: bucketMeans(r.patterns[p].scheduledLoadKwh, points),
        })),
      },
    ],
  );
}
