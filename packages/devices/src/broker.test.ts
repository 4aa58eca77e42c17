import { randomBytes } from 'node:crypto';
import * as gw from '@gridtier/core/der/gateway';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startBroker } from './broker.js';
import { Gateway } from './gateway.js';

const secretOf = (id: string) => `secret-of-${id}-0123456789`;
const info = (id: string) =>
  ({ id, owner: 'h1', kind: 'airConditioner', tier: 'green', bus: 'b1', phase: 'a', vpp: 'v1' }) as const;

let broker: EmbeddedBroker;
let gateway: Gateway;
const registry = new gw.DeviceRegistry();
const clients: MqttClient[] = [];

const connect = async (id: string, secret = secretOf(id)) => {
  const c = await mqtt.connectAsync(
    broker.url,
    { clientId: id, username: id, password: secret, reconnectPeriod: 0 },
    false,
  );
  clients.push(c);
  return c;
};
const closed = (c: MqttClient) =>
  new Promise<void>((resolve) => (c.disconnected ? resolve() : c.once('close', () => resolve())));
const until = async (ok: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return ok();
};

beforeAll(async () => {
  for (const id of ['d1', 'd2', 'd3', 'd4', 'flood'])
    registry.add(info(id), secretOf(id), randomBytes(4).toString('hex'));
  const secret = randomBytes(16).toString('hex');
  broker = await startBroker({ registry, gatewaySecret: secret, ratePerS: 20, burst: 20, maxHoldMs: 1500 });
  gateway = await Gateway.connect({
    brokerUrl: broker.url,
    registry,
    secret,
    states: { ratePerS: 5, burst: 10 },
  });
});

afterAll(async () => {
  for (const c of clients) c.end(true);
  await gateway?.close();
  await broker?.close();
});

describe('the embedded broker enforces the fleet’s credentials and topic ACL', () => {
  it('refuses a wrong secret, an unknown device and a client id that is not the user name', async () => {
    await expect(connect('d1', 'not-the-secret-at-all')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connect('nobody')).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(
      mqtt.connectAsync(
        broker.url,
        { clientId: 'd2', username: 'd1', password: secretOf('d1'), reconnectPeriod: 0 },
        false,
      ),
    ).rejects.toThrow();
    expect(broker.stats.refusedConnects).toBeGreaterThanOrEqual(3);
  });

  it('a device publishing on another device’s topic is refused and disconnected; the gateway never sees it', async () => {
    const d1 = await connect('d1');
    const before = gateway.stats.messagesIn;
    d1.publish(
      gw.deviceTopic('v1', 'd2', 'telemetry'),
      gw.encodeTelemetry({ q: 1, r: 0, s: 0, kw: 3, ds: 0 }),
    );
    await closed(d1);
    expect(broker.stats.refusedPublishes).toBe(1);
    expect(broker.refusals.at(-1)).toMatch(
      /device d1 may not publish on gridtier\/v1\/devices\/d2\/telemetry/,
    );
    expect(gateway.stats.messagesIn).toBe(before);
    expect(gateway.states.state('d2')).toBeUndefined();
  });

  it('a device may not subscribe to another device’s commands nor to wildcards', async () => {
    const d3 = await connect('d3');
    for (const refused of [gw.deviceTopic('v1', 'd2', 'commands'), 'gridtier/#', gw.broadcastTopic('v2')])
      await expect(d3.subscribeAsync(refused)).rejects.toThrow(/Subscribe error/);
    const granted = await d3.subscribeAsync([
      gw.deviceTopic('v1', 'd3', 'commands'),
      gw.broadcastTopic('v1'),
    ]);
    expect(granted.map((g) => g.qos)).toEqual([0, 0]);
    expect(broker.stats.refusedSubscribes).toBe(3);
  });

  it('telemetry on the device’s own topic becomes device state; commands are logged with their acks', async () => {
    const d4 = await connect('d4');
    await d4.subscribeAsync(gw.deviceTopic('v1', 'd4', 'commands'));
    d4.on('message', (_t, payload) => {
      const c = gw.decodeCommand(payload)!;
      d4.publish(gw.deviceTopic('v1', 'd4', 'acks'), gw.encodeAck(c.id, true));
    });
    d4.publish(
      gw.deviceTopic('v1', 'd4', 'telemetry'),
      gw.encodeTelemetry({ q: 1, r: 0, s: 7, kw: 2.5, ds: 40 }),
    );
    expect(await until(() => gateway.states.state('d4')?.slot === 7)).toBe(true);
    // the same report again is a replay
    d4.publish(
      gw.deviceTopic('v1', 'd4', 'telemetry'),
      gw.encodeTelemetry({ q: 1, r: 0, s: 7, kw: 2.5, ds: 40 }),
    );
    d4.publish(gw.deviceTopic('v1', 'd4', 'telemetry'), '{not json');
    expect(
      await until(() => gateway.states.refused.replayed === 1 && gateway.states.refused.malformed === 1),
    ).toBe(true);
    const rec = await gateway.command('d4', 'disable', 'operator');
    expect(await until(() => gateway.commands.list('d4')[0]?.ackedAtMs !== undefined)).toBe(true);
    expect(gateway.commands.list('d4')[0]).toMatchObject({
      id: rec.id,
      by: 'operator',
      kind: 'disable',
      ok: true,
    });
  });

  it('refuses an oversized payload', async () => {
    const d3 = await connect('d3');
    d3.publish(gw.deviceTopic('v1', 'd3', 'telemetry'), 'x'.repeat(10_000));
    await closed(d3);
    expect(broker.stats.oversized).toBe(1);
  });

  it('throttles a flooding device, and disconnects it when it keeps on', async () => {
    const f = await connect('flood');
    for (let q = 1; q <= 400; q++)
      f.publish(
        gw.deviceTopic('v1', 'flood', 'telemetry'),
        gw.encodeTelemetry({ q, r: 0, s: 0, kw: 1, ds: 0 }),
      );
    await closed(f);
    expect(broker.stats.throttled).toBeGreaterThan(0);
    expect(broker.stats.floodDisconnects).toBe(1);
    // what got through the broker's rate still met the gateway's own limit
    expect(await until(() => gateway.states.refused.throttled > 0)).toBe(true);
    expect(gateway.states.state('flood')!.reports).toBeLessThanOrEqual(10);
  });

  it('a revoked device is disconnected at once, its last will marks it offline, and it cannot come back', async () => {
    const d2 = await mqtt.connectAsync(
      broker.url,
      {
        clientId: 'd2',
        username: 'd2',
        password: secretOf('d2'),
        reconnectPeriod: 0,
        will: {
          topic: gw.deviceTopic('v1', 'd2', 'status'),
          payload: Buffer.from('offline'),
          qos: 0,
          retain: false,
        },
      },
      false,
    );
    clients.push(d2);
    d2.publish(gw.deviceTopic('v1', 'd2', 'status'), 'online');
    d2.publish(
      gw.deviceTopic('v1', 'd2', 'telemetry'),
      gw.encodeTelemetry({ q: 1, r: 0, s: 0, kw: 3, ds: 0 }),
    );
    expect(await until(() => gateway.states.state('d2')?.online === true)).toBe(true);
    // a device whose connection breaks: its will says offline
    d2.stream.destroy();
    expect(await until(() => gateway.states.state('d2')?.online === false)).toBe(true);

    const again = await connect('d2');
    registry.revoke('d2');
    await closed(again);
    expect(broker.stats.revokedDisconnects).toBe(1);
    await expect(connect('d2')).rejects.toThrow();
  });
});
