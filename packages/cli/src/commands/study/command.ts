import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

export const savingsOptions = {
  scenario: opt.input({ required: true, help: 'the day’s scenario (as for simulate)' }),
  seeds: opt.integer({ min: 1, max: 1000, default: 20, help: 'how many seeds (days) to run' }),
  from: opt.integer({ min: 0, max: 2 ** 31 - 1000, default: 1, help: 'the first seed' }),
  format: std.format(['table', 'json'], 'the study'),
  out: std.out(),
};

export const studySavings = defineCommand({
  name: 'savings',
  summary: 'prosumers’ savings against net metering and retail with feed-in, over many seeds',
  description:
    'Runs the scenario’s day once per seed and compares every household’s bill (its retailer’s statements and its peer-to-peer trades) with what the two top-down baselines would have billed for the same metered energy: net metering (exports credited at the retail price) and retail with feed-in. Reports the median, the share that saves and the worst decile, per baseline, and what sets the households that lose apart from those that save.',
  options: savingsOptions,
  examples: [
    {
      args: 'study savings --scenario examples/scenarios/residential-day.json --seeds 20',
      help: 'twenty days, seeds 1 to 20',
    },
    {
      args: 'study savings --scenario examples/scenarios/residential-day.json --seeds 3 --format json --out out/savings.json',
      help: 'three days, as JSON',
    },
  ],
  load: () => import('./savings.js'),
});

export const study = defineGroup({
  name: 'study',
  summary: 'studies over many simulated days',
  commands: [studySavings],
});
