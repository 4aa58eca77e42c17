import { defineCommand, opt } from '../../framework/spec.js';
import { store } from '../store-options.js';

export const options = {
  bus: opt.string({
    metavar: 'URL',
    required: true,
    help: 'the NATS server with JetStream that carries the feeder’s orders, events and results: nats://host:port',
  }),
  feeder: opt.string({
    metavar: 'NAME',
    required: true,
    help: 'the feeder this engine runs: its orders come from the stream <prefix>_NAME_orders (subject <prefix>.NAME.orders); letters, digits, _ and -',
  }),
  prefix: opt.string({
    metavar: 'NAME',
    default: 'gridtier',
    help: 'the first token of every subject and stream name, so that several deployments share one NATS server',
  }),
  substation: opt.string({
    metavar: 'NAME',
    help: 'exchange with the feeders of this substation: adds the market `exchange` (5-minute intervals, gate 5 minutes ahead) whose gate sends the feeder’s curve, made from its orders, to the substation’s coordinator (`gridtier substation`) and clears at its price; the real-time LEM of a --scenario then prices the feeder’s source bus at that price (the energy part of its DLMPs) in every interval the exchange cleared',
  }),
  scenario: opt.string({
    metavar: 'FILE',
    help: 'a day scenario (as for serve): its feeder’s markets and built-in agents instead of the peer-to-peer markets',
  }),
  clock: opt.string({
    metavar: 'wall|xN',
    default: 'wall',
    help: 'the markets’ clock: real time, or real time ×N',
  }),
  start: opt.string({
    metavar: 'ISO',
    help: 'where an accelerated clock starts on the first start (default: now); a restart goes on from its log',
  }),
  ...store,
  duration: opt.number({
    min: 0,
    default: 0,
    help: 'stop after this many seconds (0: run until interrupted)',
  }),
};

export const feederEngine = defineCommand({
  name: 'feeder-engine',
  summary: 'run one feeder’s markets as its own process on a NATS JetStream bus',
  description:
    'One feeder’s market engine, scaled out: it takes the feeder’s orders from a JetStream stream through its durable consumer, puts them into the same engine as `gridtier serve` (the intraday book, the Layer I and Layer III call markets, or with --scenario the scenario’s markets and agents), and acknowledges each order message only once its events are durable in the feeder’s database. Every event of the log is published, once durable, on <prefix>.NAME.events and the answer to each order on <prefix>.NAME.results; the open sessions answer requests on <prefix>.NAME.sessions. An order is a JSON message {participant, market, session?, clientOrderId, order} whose Nats-Msg-Id is participant/market/clientOrderId: a retry is stored once, and a message delivered again (after a crash or a restart) is answered from the log, never entered twice. After SIGKILL a restart replays the log and goes on from the consumer where it was. Without --bus there is nothing to scale: `gridtier serve` runs the markets in one process.',
  options,
  examples: [
    {
      args: 'feeder-engine --bus nats://127.0.0.1:4222 --feeder f1 --data out/feeders/f1',
      help: 'feeder f1 on the wall clock, its log in an embedded PostgreSQL in out/feeders/f1',
    },
    {
      args: 'feeder-engine --bus nats://127.0.0.1:4222 --feeder f2 --clock x60 --database postgres://postgres@127.0.0.1:5432/test --schema feeder_f2',
      help: 'feeder f2, 60 times real time, its log in schema feeder_f2 of a PostgreSQL server',
    },
    {
      args: 'feeder-engine --bus nats://127.0.0.1:4222 --feeder f3 --substation s1 --data out/feeders/f3',
      help: 'feeder f3 exchanging energy with the other feeders of substation s1 through its coordinator',
    },
  ],
  load: () => import('./run.js'),
});
