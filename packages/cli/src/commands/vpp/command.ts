import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

/** the PJM score correlates signal and response over delays up to 5 minutes, both ways */
export const MIN_SECONDS = 602;

export const options = {
  devices: opt.integer({ min: 100, max: 5_000_000, default: 10_000, help: 'devices in the fleet' }),
  goal: opt.choice(['step', 'ramp', 'regd'], {
    default: 'step',
    help: 'what the fleet follows: a step, a ramp, or a RegD-like regulation signal',
  }),
  seconds: opt.integer({
    min: MIN_SECONDS,
    max: 86_400,
    metavar: 'S',
    help: 'length of the run; the score needs more than 600 s (default 1200, regd 2400)',
  }),
  seed: std.seed(1),
  format: std.format(['table', 'csv', 'json'], 'csv: the time series of goal and enabled demand per tier'),
  out: std.out(),
  report: std.report('vpp.csv (the time series) and vpp.html (a chart of it)'),
};

export const vppSimulate = defineCommand({
  name: 'simulate',
  summary: 'steer a behind-the-meter fleet as a virtual power plant',
  description:
    'A fleet of thermostatic loads, water heaters, EV chargers, batteries and pool pumps in green, yellow, red and black tiers follows a goal under the tiered stochastic controller, a round every 2 s; the run is scored with PJM’s performance score (accuracy, delay, precision).',
  options,
  examples: [
    {
      args: 'vpp simulate --devices 100000 --goal step --seconds 1200 --seed 1',
      help: 'tracking error and PJM score',
    },
    {
      args: 'vpp simulate --devices 20000 --goal regd --seconds 2400 --seed 3 --format json --report out/vpp',
      help: 'a RegD run as JSON, with its time series and chart in out/vpp',
    },
  ],
  load: () => import('./run.js'),
});

export const vpp = defineGroup({
  name: 'vpp',
  summary: 'behind-the-meter fleets as a virtual power plant',
  commands: [vppSimulate],
});
