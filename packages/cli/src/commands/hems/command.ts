import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

/** households × days a run may simulate (each household-day is a few hundred numbers kept in memory) */
export const MAX_HOUSEHOLD_DAYS = 1_000_000;

export const options = {
  households: opt.integer({ min: 1, max: 100_000, default: 100, help: 'number of households' }),
  days: opt.integer({ min: 1, max: 3650, default: 7, help: 'number of days' }),
  seed: std.seed(1),
  format: std.format(['table', 'csv', 'json'], 'csv: the hourly prices and every pattern’s job load'),
  out: std.out(),
  report: std.report('hems.csv (hourly prices and loads) and hems.html (charts of them)'),
};

export const hemsSimulate = defineCommand({
  name: 'simulate',
  summary: 'households’ appliance patterns and contract choices on the same prices',
  description: `Every household schedules its appliance jobs under each pattern (normal, prediction, cost acceptance, price acceptance) on the same seeded prices, and its planned deficits are covered by spot, forward, option and the chosen contracts. households × days is at most ${MAX_HOUSEHOLD_DAYS.toLocaleString('en-US')}.`,
  options,
  examples: [
    {
      args: 'hems simulate --households 100 --days 30 --seed 42 --report out/hems',
      help: 'the cost table per pattern and contract; the hourly series and a chart in out/hems',
    },
    { args: 'hems simulate --households 10 --days 2 --format json', help: 'the summary as JSON' },
  ],
  load: () => import('./run.js'),
});

export const hems = defineGroup({
  name: 'hems',
  summary: 'household energy management',
  commands: [hemsSimulate],
});
