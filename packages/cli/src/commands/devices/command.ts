import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';

export const options = {
  count: opt.integer({
    min: 1,
    max: 100_000,
    default: 1000,
    help: 'simulated devices, each its own MQTT client',
  }),
  broker: opt.string({
    metavar: 'URL',
    help: 'an MQTT broker (mqtt://HOST:PORT); without it an embedded broker is started on a free port',
  }),
  seconds: opt.integer({
    min: 80,
    max: 86_400,
    default: 300,
    metavar: 'S',
    help: 'simulated length of the event, a control round every 10 s',
  }),
  drop: opt.number({
    min: 0,
    max: 0.9,
    default: 0,
    help: 'share of the devices whose connections break mid-event (their wills mark them offline)',
  }),
  loss: opt.number({ min: 0, max: 0.5, default: 0, help: 'share of the devices’ reports lost on the way' }),
  workers: opt.integer({
    min: 1,
    max: 64,
    default: 2,
    help: 'worker threads (or processes) the devices run in',
  }),
  processes: opt.flag({
    help: 'run the devices in child processes instead of worker threads: each has its own file descriptors (a fleet larger than one process may open), and the process CPU reported is then the broker’s and gateway’s alone',
  }),
  wall: opt.flag({
    help: 'pace the rounds on the wall clock (10 s each) instead of as fast as the messages go',
  }),
  seed: std.seed(1),
  format: std.format(['table', 'json'], 'json also gives every round'),
  out: std.out(),
};

export const devicesSimulate = defineCommand({
  name: 'simulate',
  summary: 'a fleet of simulated devices on MQTT, steered by the gateway',
  description:
    'Simulated devices (air conditioners, water heaters, EV chargers, batteries, pool pumps with the der/devices physics) connect to an MQTT broker as real clients with their own credentials and last wills, in worker threads. The gateway runs the VPP loop over the broker: it aggregates their reports, broadcasts the estimate and the goal, and each device draws its own switch. The goal steps to 80 % of the enabled demand after three rounds; --drop breaks a share of the connections mid-event. Reports delivery (reports the gateway accepted of those sent), tracking (rms of the true enabled demand against the target) and messages per second.',
  options,
  examples: [
    { args: 'devices simulate --count 2000 --seconds 300', help: '2,000 devices on an embedded broker' },
    {
      args: 'devices simulate --count 5000 --broker mqtt://127.0.0.1:1883 --drop 0.1 --format json --out out/devices.json',
      help: 'against Mosquitto, 10 % of the devices dropping out mid-event',
    },
  ],
  load: () => import('./run.js'),
});

export const devices = defineGroup({
  name: 'devices',
  summary: 'behind-the-meter devices over MQTT',
  commands: [devicesSimulate],
});
