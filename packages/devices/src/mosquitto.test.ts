import { connect } from 'node:net';
import { fleetSuite } from './fleet-suite.js';

const URL = 'mqtt://127.0.0.1:1883';

/** Whether something listens on Mosquitto's port. */
function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: 1883 });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

fleetSuite('Mosquitto on 127.0.0.1:1883', async () =>
  (await reachable()) ? { url: URL } : { skip: `no MQTT broker at ${URL}` },
);
