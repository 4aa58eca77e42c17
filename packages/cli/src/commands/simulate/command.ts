import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  scenario: opt.input({
    required: true,
    help: 'the day’s scenario (JSON; its feeder and inventory are read beside it)',
  }),
  seed: std.seed(),
  format: std.format(['table', 'json'], 'the summary'),
  out: std.out(),
  report: std.report(
    'index.html (charts), events.jsonl (every event of the day), summary.json, timing.json and CSV data',
  ),
  chain: opt.string({
    metavar: 'embedded|URL',
    help: 'settle on the embedded EVM chain or at a JSON-RPC URL',
  }),
};

export const simulate = defineCommand({
  name: 'simulate',
  summary: 'one day of the whole hierarchy on a feeder, with a report',
  description:
    'The markets (LEM day-ahead and real-time, Layer I per microgrid, the ancillary market, Layer III, the intraday book, the DSO’s flexibility calls) open, take orders until their gates and clear on a simulated clock; the ISO, the households, their retailer, the VPPs and the DSO act as agents on what they see; the Layer I trades settle on a ledger with the DSO’s signed readings. Every event goes to the report’s events.jsonl; `gridtier replay` rebuilds the summary and report from it. Progress goes to standard error, the summary to standard output.',
  options,
  examples: [
    {
      args: 'simulate --scenario examples/scenarios/residential-day.json --seed 3 --report out/day3',
      help: 'a whole day on the example residential feeder; open out/day3/index.html',
    },
  ],
  load: () => import('./run.js'),
});
