import { defineCommand, opt, std } from '../../framework/spec.js';

const share = (what: string, fallback: number) =>
  opt.number({ min: 0, max: 1, metavar: 'X', help: `share of sites with ${what} (default ${fallback})` });

export const options = {
  feeder: opt.input({
    required: true,
    help: 'the OpenDSS script whose loads the prosumers are placed at (files it redirects to are read beside it)',
  }),
  'pv-share': share('rooftop PV', 0.4),
  'battery-share': share('a battery behind the meter', 0.15),
  'ev-share': share('EV chargers', 0.25),
  'split-above-kw': opt.number({
    above: 0,
    metavar: 'KW',
    help: 'split a load above KW into several service prosumers of about KW each (at most 20); by default each load is one site',
  }),
  seed: std.seed(1),
  format: std.format(['table', 'json'], 'json: the inventory, as a scenario’s "inventory" file reads it'),
  out: std.out(),
};

export const inventory = defineCommand({
  name: 'inventory',
  summary: 'prosumers, DER and groups placed at an OpenDSS feeder’s own loads',
  description:
    'Every enabled load of the feeder becomes a prosumer on its bus and phases with its kW as demand and its kW/kvar as power factor (a business above 25 kW); rooftop PV, batteries, EV chargers, air conditioners and water heaters are drawn per site from the seed in the given shares; microgrids are connected laterals of the feeder’s tree of at most 12 sites, VPPs connected groups of whole microgrids (about four). The JSON is the inventory a day scenario names; a scenario with `"inventory": "from-feeder"` (the default when it names none) makes the same itself, and `gridtier simulate --feeder` runs a day on it.',
  options,
  examples: [
    {
      args: 'inventory --feeder examples/feeders/gridtier-demo/master.dss',
      help: 'the demo feeder’s prosumers, their DER and groups as a table',
    },
    {
      args: 'inventory --feeder ../shared/feeders/123Bus/IEEE123Master.dss --pv-share 0.6 --battery-share 0.3 --seed 2 --format json --out out/ieee123-inventory.json',
      help: 'an inventory for IEEE 123 with more PV and batteries, as the JSON a scenario reads',
    },
  ],
  load: () => import('./run.js'),
});
