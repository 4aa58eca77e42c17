import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

export const options = {
  feeder: opt.input({ required: true, help: 'the feeder’s OpenDSS script' }),
  orders: opt.input({ required: true, help: 'the orders document (JSON: market settings and "orders")' }),
  market: opt.choice(['dam', 'rtm'], { help: 'day-ahead or real-time; overrides the document’s "market"' }),
  'iso-prices': opt.input({
    help: 'ISO prices at the substation, $/MWh: a JSON array or a CSV with the price last on each line',
  }),
  format: std.format(['table', 'csv', 'json'], 'csv: interval,bus,phase,total,energy,congestion,loss'),
  out: std.out(),
  'dump-model': opt.output({
    help: 'also write the last optimization model, CPLEX LP (FILE.lp) or MPS (FILE.mps)',
  }),
  'time-limit': opt.number({ above: 0, metavar: 'SECONDS', help: 'stop a solve that runs longer than this' }),
  solver: opt.choice(['highs', 'coin'], {
    default: 'highs',
    help: 'highs: HiGHS (WebAssembly, capped at 2 GiB) in a worker thread; coin: COIN-OR CLP/CBC as native processes, for models beyond that (Debian: coinor-clp, coinor-cbc)',
  }),
};

export const lemClear = defineCommand({
  name: 'clear',
  summary: 'clear the DSO’s local energy market: DLMPs per bus and phase',
  description:
    'Clears step offers and bids, three-part generator offers (unit commitment), block orders, batteries and bilateral schedules over 24 hourly (dam) or one 5-minute (rtm) interval, against ISO prices at the substation and the grid limits of the AC power flow. Invalid orders are refused one by one with their id and field and the rest clear; if every order is refused, nothing clears and the exit code is 1.',
  options,
  examples: [
    {
      args: 'lem clear --feeder examples/feeders/gridtier-demo/master.dss --orders examples/feeders/gridtier-demo/orders-dam.json',
      help: 'the day ahead: cost, AC iterations, refused orders, and DLMPs per bus and phase (low, mean, high)',
    },
    {
      args: 'lem clear --feeder examples/feeders/gridtier-demo/master.dss --orders examples/feeders/gridtier-demo/orders-dam.json --format csv --out out/dlmp.csv --dump-model out/market.lp',
      help: 'every DLMP as CSV in a file, and the optimization model for another solver',
    },
    {
      args: 'lem clear --feeder examples/feeders/gridtier-demo/master.dss --orders examples/feeders/gridtier-demo/orders-dam.json --iso-prices examples/feeders/gridtier-demo/iso-prices-hot-day.csv',
      help: 'the same orders against a hot day’s ISO prices (a CSV: the price last on each line)',
    },
  ],
  load: () => import('./run.js'),
});

export const lem = defineGroup({
  name: 'lem',
  summary: 'the DSO’s nodal local energy market',
  commands: [lemClear],
});
