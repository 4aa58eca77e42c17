import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  trades: opt.input({ required: true, help: 'the interval: accounts, meters and trades (JSON)' }),
  readings: opt.input({ required: true, help: 'the oracles’ signed meter readings (JSON)' }),
  chain: opt.string({
    metavar: 'embedded|URL',
    help: 'settle on the embedded EVM chain or at a JSON-RPC URL',
  }),
  format: std.format(['table', 'csv', 'json'], 'csv: one line per account'),
  out: std.out(),
};

export const settle = defineCommand({
  name: 'settle',
  summary: 'settle an interval’s trades against signed meter readings',
  description:
    'Energy tokens are minted only for metered delivery signed by the meter’s oracle; buyers pay the contract price and sellers buy back what they did not deliver at the fallback price. An interval settles whole or is refused whole, with the reason (exit 1). Without --chain it settles in memory; --chain embedded starts a local EVM chain; with an RPC URL the operator key is read from GRIDTIER_CHAIN_KEY.',
  options,
  examples: [
    {
      args: 'settle --trades examples/settlement/interval.json --readings examples/settlement/readings.json',
      help: 'each account’s statement, in memory',
    },
    {
      args: 'settle --trades examples/settlement/interval.json --readings examples/settlement/readings.json --chain embedded',
      help: 'the same on the embedded EVM chain, with the gas used',
    },
  ],
  load: () => import('./run.js'),
});
