import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  orders: opt.input({ required: true, help: 'the orders document (JSON: {"orders": […], "gateClosure"?})' }),
  mechanism: opt.choice(['uniform', 'pab', 'mda', 'merit', 'cda'], {
    required: true,
    help: 'the market’s rule',
  }),
  k: opt.number({
    min: 0,
    max: 1,
    default: 0.5,
    help: 'uniform price only: where in the range of clearing prices the price is set (0 the lowest)',
  }),
  format: std.format(['table', 'csv', 'json'], 'csv: one line per trade'),
  out: std.out(),
};

export const auction = defineCommand({
  name: 'auction',
  summary: 'clear a peer-to-peer call market or replay orders through the order book',
  description:
    'uniform: one price for all (k-pricing); pab: pay as bid; mda: the strategy-proof multi-unit double auction of Huang et al.; merit: Liu and Small’s merit order; cda: the continuous order book in time order, closed at the gate. Bad orders are refused one by one with their id and reason on standard error; if every order is refused the exit code is 1.',
  options,
  examples: [
    {
      args: 'auction --mechanism uniform --orders examples/auction/microgrid-call.json',
      help: 'the clearing price and the trades; the late and the zero-quantity order are refused by id',
    },
    {
      args: 'auction --mechanism mda --orders examples/auction/microgrid-call.json --format json',
      help: 'buyer and seller prices of the MDA, with the refused orders, as JSON',
    },
    {
      args: 'auction --mechanism cda --orders examples/auction/microgrid-call.json --format csv --out out/trades.csv',
      help: 'the order book’s trades as CSV in a file',
    },
  ],
  load: () => import('./run.js'),
});
