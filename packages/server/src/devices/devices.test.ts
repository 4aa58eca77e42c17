import { connect } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { clientFor, testServer } from '../http/test-support.js';
import { freshSchema, postgresReachable, TEST_DATABASE } from '../store/test-support.js';
import { devicesSuite } from './devices-suite.js';

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

/** Whether something listens on Mosquitto's port. */
function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(MOSQUITTO);
    s.setTimeout(1000);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

devicesSuite('embedded broker', async () => ({ devices: { brokerPort: 0, roundS: 0 }, acl: true }));

devicesSuite('Mosquitto on 127.0.0.1:1883', async () =>
  (await reachable())
    ? { devices: { brokerUrl: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, roundS: 0 }, acl: false }
    : { skip: 'no MQTT broker on 127.0.0.1:1883' },
);

describe.runIf(await postgresReachable())('devices across a restart (PostgreSQL)', () => {
  it('keeps the registry and credentials in the database: a device connects after the restart, a revoked one not', async () => {
    const at = { database: TEST_DATABASE, schema: freshSchema() };
    const first = await testServer({ ...at, devices: { roundS: 0 } });
    const admin = await clientFor(first, 'root', 'admin');
    const body = (id: string) => ({
      id,
      owner: 'h',
      kind: 'waterHeater',
      tier: 'yellow',
      bus: 'b2',
      phase: 'c',
      vpp: 'v',
    });
    const kept = await admin.request<{ mqtt: { password: string } }>(
      'POST',
      '/v1/devices',
      body(`k${process.pid}`),
    );
    const gone = await admin.request<{ mqtt: { password: string } }>(
      'POST',
      '/v1/devices',
      body(`g${process.pid}`),
    );
    await admin.request('DELETE', `/v1/devices/g${process.pid}`);
    await first.close();
    const second = await testServer({ ...at, devices: { roundS: 0 } });
    try {
      const url = second.devices!.brokerUrl;
      const as = (id: string, password: string) =>
        mqtt.connectAsync(url, { clientId: id, username: id, password, reconnectPeriod: 0 }, false);
      const c = await as(`k${process.pid}`, kept.mqtt.password);
      await c.endAsync();
      await expect(as(`g${process.pid}`, gone.mqtt.password)).rejects.toThrow();
      expect(second.devices!.registry.list().map((d) => d.tier)).toEqual(['yellow']);
    } finally {
      await second.close();
    }
  }, 60_000);
});
