import { fleetSuite } from './fleet-suite.js';
import { listening } from './listening.js';

const URL = 'mqtt://127.0.0.1:1883';

fleetSuite('Mosquitto on 127.0.0.1:1883', async () =>
  (await listening('127.0.0.1', 1883)) ? { url: URL } : { skip: `no MQTT broker at ${URL}` },
);
