import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  scenario: opt.input({
    required: true,
    help: 'the day’s scenario (JSON; its feeder and inventory are read beside it)',
  }),
  seed: std.seed(),
  format: std.format(['table', 'json'], 'the summary'),
  out: std.out(),
  report: std.report('index.html (charts) and the CSV and JSON data of the day'),
  chain: opt.string({
    metavar: 'embedded|URL',
    help: 'settle on the embedded EVM chain or at a JSON-RPC URL',
  }),
};

export const simulate = defineCommand({
  name: 'simulate',
  summary: 'one day of the whole hierarchy on a feeder, with a report',
  description:
    'ISO prices, the sites’ seeded days, the day-ahead local energy market, VPP fleets under the tiered controller, the peer-to-peer hierarchy, the real-time market every 5 minutes, an AC power flow of every 5 minutes and the settlement of the Layer I trades on a ledger. Progress goes to standard error, the summary to standard output.',
  options,
  examples: [
    {
      args: 'simulate --scenario examples/scenarios/residential-day.json --seed 3 --report out/day3',
      help: 'a whole day on the example residential feeder; open out/day3/index.html',
    },
  ],
  load: () => import('./run.js'),
});
