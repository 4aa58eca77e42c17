import { defineCommand, opt, std } from '../../framework/spec.js';
import { store } from '../store-options.js';

export const options = {
  scenario: opt.input({
    help: 'a day scenario (as for simulate): its feeder’s markets — the LEM day-ahead and real time with DLMPs, Layer I, II, III, intraday, flexibility — with its built-in agents trading beside outside clients',
  }),
  feeder: opt.input({
    help: 'instead of --scenario: the markets and agents of a day on this OpenDSS script, with the scenario’s defaults and a prosumer at each of its loads (as `gridtier inventory` places them)',
  }),
  seed: std.seed(),
  clock: opt.string({
    metavar: 'wall|xN',
    default: 'wall',
    help: 'the markets’ clock: real time, or real time ×N (x60: a day in 24 minutes)',
  }),
  start: opt.string({
    metavar: 'ISO',
    help: 'where an accelerated clock starts on the first start (default: now, or with --scenario just before its day’s day-ahead market); a restart goes on from its log',
  }),
  port: opt.integer({ min: 0, max: 65535, default: 8080, help: 'the HTTP port (0: any free port)' }),
  host: opt.string({ metavar: 'HOST', default: '127.0.0.1', help: 'the address to listen on' }),
  ...store,
  broker: opt.string({
    metavar: 'URL',
    help: 'an external MQTT broker for the device gateway (mqtt://HOST:PORT; its password and ACL files are its own, the gateway’s password is read from GRIDTIER_BROKER_SECRET); without it an embedded broker is started',
  }),
  'mqtt-port': opt.integer({
    min: 0,
    max: 65535,
    default: 0,
    help: 'the embedded MQTT broker’s port (0: any free port, named at start and in each device’s registration; 1883 is MQTT’s own)',
  }),
  'rate-limit': opt.integer({
    min: 1,
    max: 1_000_000,
    default: 6000,
    help: 'requests per second per client (429 beyond)',
  }),
  'openadr-mqtt': opt.string({
    metavar: 'URL',
    help: 'an MQTT broker (mqtt://HOST:PORT) the OpenADR VTN publishes its notifications to, beside webhooks',
  }),
  'token-ttl': opt.integer({ min: 10, max: 86_400, default: 900, help: 'seconds a bearer token lives' }),
  duration: opt.number({
    min: 0,
    default: 0,
    help: 'stop after this many seconds (0: run until interrupted)',
  }),
};

export const serve = defineCommand({
  name: 'serve',
  summary: 'run the markets live over HTTP and WebSocket',
  description:
    'The market engine on a wall or accelerated clock: the intraday order book, the Layer I and Layer III call markets open and clear on the clock, and outside clients trade through the API. With --scenario (or --feeder, a day on any OpenDSS script with a prosumer at each of its loads), the scenario’s markets on its feeder run instead, the built-in agents (ISO, households, retailer, VPPs, DSO) fill the feeder for the first whole day after the first start, and the LEM’s DLMPs per bus and phase are published at /v1/dlmps (OpenAPI at /openapi.json, a docs page at /docs, the WebSocket feed at /v1/feed). The MQTT device gateway runs beside it, on an embedded broker (--mqtt-port) or an external one (--broker): devices are registered at /v1/devices (each gets its own credentials), report over MQTT and follow their VPP’s control rounds every 10 s; /v1/vpps shows each VPP’s devices online, its estimate and its goal. Every order is acknowledged once it is durable in the database; a restart replays the log and comes back to the same books. Data stay in an embedded PostgreSQL in --data (the default out/server) or in a PostgreSQL server at --database. Clients are registered with `gridtier clients add` (while the server is stopped, for the embedded database) or through the admin API.',
  options,
  examples: [
    {
      args: 'serve --data out/server --port 8080',
      help: 'the markets on the wall clock, data in out/server',
    },
    {
      args: 'serve --scenario examples/scenarios/residential-day.json --clock x60 --data out/live',
      help: 'the residential feeder’s day with its agents, 60 times real time, from the afternoon before',
    },
    {
      args: 'serve --feeder ../shared/feeders/13Bus/IEEE13Nodeckt.dss --clock x60 --data out/ieee13',
      help: 'any OpenDSS feeder live: DLMPs at its own buses and phases, a household agent at each load',
    },
    {
      args: 'serve --mqtt-port 1883 --data out/server',
      help: 'the device gateway’s embedded MQTT broker on MQTT’s own port',
    },
    {
      args: 'serve --broker mqtt://127.0.0.1:1883 --data out/server',
      help: 'devices on an external broker (Mosquitto) instead of the embedded one',
    },
    {
      args: 'serve --clock x60 --database postgres://postgres@127.0.0.1:5432/test',
      help: 'a day in 24 minutes, on a PostgreSQL server',
    },
  ],
  load: () => import('./run.js'),
});
