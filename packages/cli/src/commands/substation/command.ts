import { defineCommand, opt } from '../../framework/spec.js';

export const options = {
  bus: opt.string({
    metavar: 'URL',
    required: true,
    help: 'the NATS server with JetStream the feeder engines use: nats://host:port',
  }),
  substation: opt.string({
    metavar: 'NAME',
    required: true,
    help: 'the substation: its feeders’ curves come on <prefix>.NAME.curves, each interval’s clearing goes to <prefix>.NAME.exchange.<interval start, ms>',
  }),
  feeders: opt.string({
    metavar: 'F1,F2,…',
    required: true,
    help: 'the feeders under the substation, comma-separated: an interval clears once each has sent its curve',
  }),
  'transformer-kw': opt.number({
    min: 0,
    required: true,
    help: 'the substation transformer’s limit, kW: the ISO’s net import or export through it is at most this',
  }),
  'iso-usd-per-kwh': opt.number({
    required: true,
    help: 'the ISO’s price at the substation, $/kWh: the ISO buys and sells any amount at it',
  }),
  'curve-timeout-ms': opt.integer({
    min: 1,
    default: 10_000,
    help: 'how long, from an interval’s first curve, the coordinator waits for the other feeders’ curves, ms: then the interval clears with the curves received, its clearing names the feeders missing (they exchange nothing in it), and a curve of theirs that comes later is refused by name',
  }),
  prefix: opt.string({
    metavar: 'NAME',
    default: 'gridtier',
    help: 'the first token of every subject and stream name (the feeder engines’ --prefix)',
  }),
  duration: opt.number({
    min: 0,
    default: 0,
    help: 'stop after this many seconds (0: run until interrupted)',
  }),
};

export const substation = defineCommand({
  name: 'substation',
  summary:
    'run a substation’s coordinator: LEM-to-LEM exchange between its feeder engines on a NATS JetStream bus',
  description:
    'The feeder engines started with --substation NAME send, at each gate of their `exchange` market (every 5 minutes, 5 minutes ahead), their import/export curve made from their participants’ orders. Once every feeder has sent its curve for an interval, or --curve-timeout-ms after the first one came, the coordinator clears the curves it has against each other and the ISO under the transformer’s limit (one price: the ISO’s while the transformer has room, above or below it when the limit binds) and publishes the clearing once, naming any feeder whose curve had not come; each feeder clears its exchange market at that price, and its real-time LEM prices its source bus at it (the energy part of its DLMPs). A curve that comes after its interval cleared is refused by name on <prefix>.NAME.refused. A restart clears nothing twice.',
  options,
  examples: [
    {
      args: 'substation --bus nats://127.0.0.1:4222 --substation s1 --feeders f1,f2 --transformer-kw 500 --iso-usd-per-kwh 0.08',
      help: 'the coordinator of feeders f1 and f2 under a 500 kW transformer, the ISO at 0.08 $/kWh',
    },
    {
      args: 'substation --bus nats://127.0.0.1:4222 --substation s1 --feeders f1,f2,f3 --transformer-kw 800 --iso-usd-per-kwh 0.08 --curve-timeout-ms 2000',
      help: 'the same for three feeders, an interval clearing without a feeder whose curve is 2 s later than the first',
    },
  ],
  load: () => import('./run.js'),
});
