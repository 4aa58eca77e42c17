import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  scenario: opt.input({
    help: 'the day’s scenario (JSON; its feeder and inventory are read beside it); or --feeder',
  }),
  feeder: opt.input({
    help: 'instead of --scenario: a day on this OpenDSS script with the scenario’s defaults and prosumers at its own loads (as `gridtier inventory` places them)',
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
    'The markets (LEM day-ahead and real-time, Layer I per microgrid, the ancillary market, Layer III, the intraday book, the DSO’s flexibility calls) open, take orders until their gates and clear on a simulated clock; the ISO, the households, their retailer, the VPPs and the DSO act as agents on what they see; the Layer I trades settle on a ledger with the DSO’s signed readings. A scenario without an inventory (or with `"inventory": "from-feeder"`) places the prosumers at the feeder’s own loads, as `--feeder` does. Every event goes to the report’s events.jsonl; `gridtier replay` rebuilds the summary and report from it. Progress goes to standard error, the summary to standard output.',
  options,
  examples: [
    {
      args: 'simulate --scenario examples/scenarios/residential-day.json --seed 3 --report out/day3',
      help: 'a whole day on the example residential feeder; open out/day3/index.html',
    },
    {
      args: 'simulate --feeder ../shared/feeders/13Bus/IEEE13Nodeckt.dss --format json --out out/ieee13-day.json',
      help: 'a day on any OpenDSS feeder: a prosumer at each of its loads, with DER drawn from the seed',
    },
  ],
  load: () => import('./run.js'),
});
