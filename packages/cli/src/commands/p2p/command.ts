import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

export const options = {
  scenario: opt.input({ required: true, help: 'the scenario (JSON: VPPs, microgrids, prosumers, tariffs)' }),
  seed: std.seed(),
  format: std.format(['table', 'csv', 'json'], 'csv: one line per prosumer'),
  out: std.out(),
};

export const p2pSimulate = defineCommand({
  name: 'simulate',
  summary: 'one day of the three-layer peer-to-peer hierarchy',
  description:
    'Layer I microgrid markets every 30 minutes, Layer II feeder VPPs committing surplus to the ISO’s 15-minute ancillary market, Layer III VPP-to-VPP markets every 5 minutes, then the utility’s retail and feed-in tariffs. Prints each layer’s volumes and money, the ledger (which sums to zero) and every prosumer’s savings against net metering.',
  options,
  examples: [
    {
      args: 'p2p simulate --scenario examples/p2p/feeder-day.json --seed 2',
      help: 'the layers, the ledger and the savings',
    },
    {
      args: 'p2p simulate --scenario examples/p2p/feeder-day.json --format csv --out out/p2p-prosumers.csv',
      help: 'every prosumer’s net energy, cost and savings as CSV in a file',
    },
  ],
  load: () => import('./run.js'),
});

export const p2p = defineGroup({
  name: 'p2p',
  summary: 'peer-to-peer markets in three layers',
  commands: [p2pSimulate],
});
