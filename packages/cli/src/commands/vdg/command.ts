import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  vdgs: opt.input({
    required: true,
    help: 'the line, the feeder price and the VDGs with their priority, capacity bid and orders (JSON)',
  }),
  format: std.format(['table', 'csv', 'json'], 'csv: one line per VDG'),
  out: std.out(),
};

export const vdg = defineCommand({
  name: 'vdg',
  summary:
    'virtual distribution grids on one feeder line: the DSO allocates the line, each VDG clears its market',
  description:
    'Each VDG (e.g. residential DER, EV charging) has its own market. Cleared alone at the feeder price, its net import or export is its request for line capacity; the DSO allocates each direction of the line by priority (1 first, a class served whole before the next), then by capacity bid within a class, equal bids pro rata. Each VDG then clears within its allocation: a curtailed VDG’s price moves until its flow fits. The result shows each VDG’s request, allocation, curtailment, price and money.',
  options,
  examples: [
    {
      args: 'vdg --vdgs examples/vdg/congested-feeder.json',
      help: 'homes (priority 1) keep their capacity; the two EV VDGs share the rest by their bids',
    },
    {
      args: 'vdg --vdgs examples/vdg/congested-feeder.json --format json --out out/vdgs.json',
      help: 'every VDG’s allocation, fills and money as JSON',
    },
  ],
  load: () => import('./run.js'),
});
