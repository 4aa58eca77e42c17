import * as gw from '@gridtier/core/der/gateway';
import { ApiProblem, type GridTierClient } from '@gridtier/sdk';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, testServer } from '../http/test-support.js';
import type { RunningServer, ServeOptions } from '../server.js';
import { connectDevice, type DeviceCreated } from './test-support.js';

interface Vpp {
  vpp: string;
  devices: number;
  online: number;
  reporting: number;
  estimatedEnabledKw: number;
}

const until = async (ok: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await ok()) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

/**
 * The device gateway behind `serve`, over HTTP and MQTT: on the embedded broker (which enforces
 * the ACL and cuts revoked devices) and on an external one (`acl: false`: Mosquitto here lets
 * anyone in, so there the gateway's own checks are what is tested).
 */
export function devicesSuite(
  name: string,
  options: () => Promise<{ devices: ServeOptions['devices']; acl: boolean } | { skip: string }>,
): void {
  describe(`the device gateway behind serve (${name})`, () => {
    let server: RunningServer | undefined;
    let acl = false;
    let skip: string | undefined;
    let admin: GridTierClient;
    let agg: GridTierClient;
    const clients: MqttClient[] = [];
    // a VPP of its own per run: an external broker is shared with whoever else uses it
    const vpp = `vpp${process.pid}x${Date.now() % 100000}`;
    // device ids are MQTT client ids too: unique on a shared broker
    const id = (n: string) => `${vpp}-${n}`;

    beforeAll(async () => {
      const o = await options();
      if ('skip' in o) {
        skip = o.skip;
        return;
      }
      acl = o.acl;
      server = await testServer({ devices: o.devices });
      admin = await clientFor(server, 'root', 'admin');
      agg = await clientFor(server, vpp, 'aggregator');
    }, 60_000);
    afterAll(async () => {
      for (const c of clients) c.end(true);
      await server?.close();
    }, 30_000);

    const register = (by: GridTierClient, id: string, v = vpp) =>
      by.request<DeviceCreated>('POST', '/v1/devices', {
        id,
        owner: `${id}-home`,
        kind: 'poolPump',
        tier: 'green',
        bus: 'b3',
        phase: 'a',
        vpp: v,
      });
    const connect = async (c: DeviceCreated) => {
      const m = await connectDevice(c);
      clients.push(m);
      return m;
    };
    const report = (m: MqttClient, c: DeviceCreated, q: number, kw: number) =>
      m.publishAsync(c.mqtt.publish[0], gw.encodeTelemetry({ q, r: 0, s: 0, kw, ds: 0 }), { qos: 1 });
    const problem = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e) => (e instanceof ApiProblem ? { status: e.status, field: e.field } : Promise.reject(e)),
      );
    const vppOf = async () =>
      (await agg.request<{ vpps: Vpp[] }>('GET', '/v1/vpps')).vpps.find((v) => v.vpp === vpp);
    const online = async (id: string) =>
      (await agg.request<{ state: { online: boolean } | null }>('GET', `/v1/devices/${id}`)).state?.online;

    it('registers devices in the database: an aggregator for its own VPP only, ids once', async (ctx) => {
      if (skip) return ctx.skip();
      const c = await register(agg, id('d1'));
      expect(c.mqtt.url).toMatch(/^mqtt:\/\//);
      expect(c.mqtt.subscribe).toEqual([gw.deviceTopic(vpp, id('d1'), 'commands'), gw.broadcastTopic(vpp)]);
      expect(await problem(register(agg, id('d9'), 'someone-else'))).toEqual({ status: 403, field: 'vpp' });
      expect(await problem(register(admin, id('d1')))).toEqual({ status: 409, field: 'id' });
      expect(await problem(agg.request('POST', '/v1/devices', { id: 'x/y' }))).toMatchObject({
        status: 400,
      });
      await register(admin, id('other'), `${vpp}o`);
      const mine = await agg.request<{ devices: { id: string }[] }>('GET', '/v1/devices');
      expect(mine.devices.map((d) => d.id)).toEqual([id('d1')]);
      expect(await problem(agg.request('GET', `/v1/devices/${id('other')}`))).toEqual({
        status: 404,
        field: 'deviceId',
      });
      const stored = await server!.repo.devices();
      expect(stored.find((d) => d.id === id('d1'))?.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(c.mqtt.password);
    });

    it('keeps device state from telemetry; the last will takes a device out of the VPP’s estimate', async (ctx) => {
      if (skip) return ctx.skip();
      const a = await register(agg, id('d2'));
      const b = await register(agg, id('d3'));
      const ma = await connect(a);
      const mb = await connect(b);
      await report(ma, a, 1, 2.5);
      await report(mb, b, 1, 1.5);
      expect(
        await until(async () => (await online(id('d2'))) === true && (await online(id('d3'))) === true),
      ).toBe(true);
      await server!.devices!.runRounds();
      expect(await vppOf()).toMatchObject({ online: 2, reporting: 2, estimatedEnabledKw: 4 });
      // the connection breaks without a goodbye: the broker publishes the will
      mb.stream.destroy();
      expect(await until(async () => (await online(id('d3'))) === false)).toBe(true);
      await server!.devices!.runRounds();
      expect(await vppOf()).toMatchObject({ online: 1, reporting: 1, estimatedEnabledKw: 2.5 });
    });

    it('sends commands and logs who sent what and the device’s acknowledgement', async (ctx) => {
      if (skip) return ctx.skip();
      const c = await register(agg, id('d4'));
      const m = await connect(c);
      m.on('message', (topic, payload) => {
        const cmd = gw.decodeCommand(payload);
        if (topic === c.mqtt.subscribe[0] && cmd) m.publish(c.mqtt.publish[1], gw.encodeAck(cmd.id, true));
      });
      const sent = await agg.request<{ id: number; by: string }>('POST', `/v1/devices/${id('d4')}/commands`, {
        kind: 'disable',
      });
      expect(sent.by).toBe(vpp);
      const log = () =>
        agg.request<{ commands: { id: number; ok: boolean | null }[] }>(
          'GET',
          `/v1/devices/${id('d4')}/commands`,
        );
      expect(await until(async () => (await log()).commands[0]?.ok === true)).toBe(true);
    });

    it('refuses a device publishing on another device’s topic', async (ctx) => {
      // Mosquitto here lets anyone in and publish anywhere: its ACL file is not the platform's to test
      if (skip || !acl) return ctx.skip();
      const a = await register(agg, id('d5'));
      const b = await register(agg, id('d6'));
      const ma = await connect(a);
      await report(ma, a, 1, 3);
      expect(await until(async () => (await online(id('d5'))) === true)).toBe(true);
      const before = server!.devices!.gateway.states.state(id('d6'));
      ma.publish(b.mqtt.publish[0], gw.encodeTelemetry({ q: 9, r: 0, s: 0, kw: 7, ds: 0 }));
      // the broker refuses it and cuts the offender
      expect(await until(() => !ma.connected)).toBe(true);
      expect(server!.devices!.broker!.refusals.join('\n')).toContain(`device ${id('d5')} may not publish on`);
      expect(server!.devices!.gateway.states.state(id('d6'))).toEqual(before);
    });

    it('revokes a device: it is disconnected at once and cannot connect again', async (ctx) => {
      if (skip) return ctx.skip();
      const c = await register(agg, id('d7'));
      const m = await connect(c);
      await report(m, c, 1, 1);
      expect(await until(async () => (await online(id('d7'))) === true)).toBe(true);
      const before = (await vppOf())!.devices;
      const revoked = await agg.request<{ revokedAt: string | null }>('DELETE', `/v1/devices/${id('d7')}`);
      expect(revoked.revokedAt).not.toBeNull();
      expect(
        await problem(agg.request('POST', `/v1/devices/${id('d7')}/commands`, { kind: 'enable' })),
      ).toEqual({
        status: 409,
        field: 'deviceId',
      });
      const refusedBefore = server!.devices!.gateway.states.refused.revoked;
      if (acl) {
        expect(await until(() => !m.connected)).toBe(true);
        await expect(connect(c)).rejects.toThrow();
      } else {
        // an external broker keeps its own sessions: the gateway refuses what it still sends
        await report(m, c, 2, 1);
        expect(await until(() => server!.devices!.gateway.states.refused.revoked > refusedBefore)).toBe(true);
      }
      expect((await vppOf())?.devices).toBe(before - 1);
    });
  });
}
