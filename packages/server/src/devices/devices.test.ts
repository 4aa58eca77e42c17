import { encodeTelemetry } from '@gridtier/core/der/gateway';
import { PHASE } from '@gridtier/core/engine';
import { listening } from '@gridtier/devices';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { clientFor, TEST_DAY_MS, testServer } from '../http/test-support.js';
import { peerToPeerMarkets } from '../live/index.js';
import { freshSchema, postgresReachable, TEST_DATABASE } from '../store/test-support.js';
import { devicesSuite } from './devices-suite.js';
import { connectDevice, type DeviceCreated } from './test-support.js';

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

devicesSuite('embedded broker', async () => ({ devices: { brokerPort: 0, roundS: 0 }, acl: true }));

devicesSuite('Mosquitto on 127.0.0.1:1883', async () =>
  (await listening(MOSQUITTO.host, MOSQUITTO.port))
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

describe('the day’s VPP goals reach the devices registered to the VPP', () => {
  it('sets each round’s goal as the share the VPP agent asks of its fleet', async () => {
    const vpp = 'vpp_b7';
    // a program whose "VPP" tells the fleet's full demand and then asks for half of it
    const server = await testServer({
      devices: { roundS: 0 },
      program: () => ({
        markets: peerToPeerMarkets(),
        agents: (engine) => {
          engine.at(TEST_DAY_MS + 1000, PHASE.agent, 'test', () => {
            engine.publish({ type: 'world.fleet', actor: 'world', payload: { vpp, fullKw: 100 } });
            engine.publish({
              type: 'vpp.goal',
              actor: vpp,
              payload: { vpp, startMs: TEST_DAY_MS, goalKw: 50, reasons: ['commitments'] },
            });
          });
          return [];
        },
      }),
    });
    try {
      const admin = await clientFor(server, 'root', 'admin');
      const c = await admin.request<DeviceCreated>('POST', '/v1/devices', {
        id: `${vpp}-d1`,
        owner: 'h',
        kind: 'evCharger',
        tier: 'red',
        bus: 'b7',
        phase: 'a',
        vpp,
      });
      const m = await connectDevice(c);
      try {
        const vpps = () =>
          admin.request<{ vpps: { vpp: string; goalKw: number | null }[] }>('GET', '/v1/vpps');
        const end = Date.now() + 20_000;
        let goal: number | null | undefined;
        for (let q = 1; Date.now() < end; q++) {
          // the device reports every round, as a real one does: a stale report leaves the estimate
          const r = server.devices!.gateway.round(vpp);
          await m.publishAsync(c.mqtt.publish[0], encodeTelemetry({ q, r, s: 0, kw: 7, ds: 0 }), { qos: 1 });
          await new Promise((r) => setTimeout(r, 100));
          await server.devices!.runRounds();
          goal = (await vpps()).vpps.find((v) => v.vpp === vpp)?.goalKw;
          if (goal !== null && goal !== undefined) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        // half of the 7 kW the device reports
        expect(goal).toBeCloseTo(3.5);
      } finally {
        await m.endAsync(true);
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
