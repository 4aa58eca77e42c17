import { describe, expect, it } from 'vitest';
import { AGG_LENGTH } from '../devices/index.js';
import { refusePublish, refuseSubscribe } from './acl.js';
import { decodeBroadcast, encodeBroadcast } from './broadcast.js';
import { CommandLog } from './commands.js';
import { DeviceStates } from './device-states.js';
import { DeviceRegistry, hashDeviceSecret } from './registry.js';
import { encodeTelemetry, parseTelemetry } from './telemetry.js';
import { TokenBuckets } from './throttle.js';
import { broadcastTopic, deviceTopic, parseTopic } from './topics.js';

const device = (id: string, vpp = 'v1') =>
  ({ id, owner: 'h1', kind: 'waterHeater', tier: 'green', bus: 'b7', phase: 'b', vpp }) as const;

describe('topic ACL', () => {
  const d1 = { kind: 'device', id: 'd1', vpp: 'v1' } as const;
  it('lets a device publish only its own telemetry, acks and status', () => {
    expect(refusePublish(d1, deviceTopic('v1', 'd1', 'telemetry'))).toBeUndefined();
    expect(refusePublish(d1, deviceTopic('v1', 'd1', 'acks'))).toBeUndefined();
    expect(refusePublish(d1, deviceTopic('v1', 'd1', 'status'))).toBeUndefined();
    expect(refusePublish(d1, deviceTopic('v1', 'd2', 'telemetry'))).toMatch(/may not publish/);
    expect(refusePublish(d1, deviceTopic('v2', 'd1', 'telemetry'))).toMatch(/may not publish/);
    expect(refusePublish(d1, deviceTopic('v1', 'd1', 'commands'))).toMatch(/commands/);
    expect(refusePublish(d1, broadcastTopic('v1'))).toMatch(/broadcasts/);
    expect(refusePublish(d1, 'elsewhere/x')).toMatch(/outside/);
  });
  it('lets a device read only its own commands and its VPP’s broadcast, without wildcards', () => {
    expect(refuseSubscribe(d1, deviceTopic('v1', 'd1', 'commands'))).toBeUndefined();
    expect(refuseSubscribe(d1, broadcastTopic('v1'))).toBeUndefined();
    expect(refuseSubscribe(d1, broadcastTopic('v2'))).toMatch(/another VPP/);
    expect(refuseSubscribe(d1, deviceTopic('v1', 'd2', 'commands'))).toMatch(/may not/);
    expect(refuseSubscribe(d1, deviceTopic('v1', 'd1', 'telemetry'))).toMatch(/may not/);
    expect(refuseSubscribe(d1, 'gridtier/v1/devices/+/commands')).toMatch(/may not/);
    expect(refuseSubscribe(d1, '#')).toMatch(/may not/);
  });
  it('keeps the gateway to broadcasts and commands out, reports in', () => {
    const g = { kind: 'gateway' } as const;
    expect(refusePublish(g, broadcastTopic('v1'))).toBeUndefined();
    expect(refusePublish(g, deviceTopic('v1', 'd1', 'commands'))).toBeUndefined();
    expect(refusePublish(g, deviceTopic('v1', 'd1', 'telemetry'))).toMatch(/does not publish/);
    expect(refuseSubscribe(g, 'gridtier/+/devices/+/telemetry')).toBeUndefined();
    expect(refuseSubscribe(g, '#')).toMatch(/does not subscribe/);
  });
  it('reads only well-formed topics', () => {
    expect(parseTopic('gridtier/v1/devices/d1/telemetry')).toEqual({
      kind: 'device',
      vpp: 'v1',
      deviceId: 'd1',
      channel: 'telemetry',
    });
    for (const t of [
      'gridtier/v1/devices/+/telemetry',
      'gridtier/v1/devices/d1/other',
      'gridtier//broadcast',
    ])
      expect(parseTopic(t)).toBeUndefined();
  });
});

describe('registry', () => {
  it('verifies secrets, refuses bad registrations by field, and revokes', () => {
    const r = new DeviceRegistry();
    const revoked: string[] = [];
    r.onRevoke((id) => revoked.push(id));
    r.add(device('d1'), 'a-long-enough-secret', 'salt');
    expect(r.verify('d1', 'a-long-enough-secret')?.bus).toBe('b7');
    expect(r.verify('d1', 'a-long-enough-secreT')).toBeUndefined();
    expect(() => r.add(device('d1'), 'a-long-enough-secret', 's')).toThrow(
      /device id: is already registered/,
    );
    expect(() => r.add({ ...device('d2'), phase: 'x' as never }, 'a-long-enough-secret', 's')).toThrow(
      /device phase/,
    );
    expect(() => r.add(device('d/2'), 'a-long-enough-secret', 's')).toThrow(/device id/);
    expect(() => r.add(device('d3'), 'short', 's')).toThrow(/device secret/);
    expect(r.revoke('d1')).toBe(true);
    expect(revoked).toEqual(['d1']);
    expect(r.verify('d1', 'a-long-enough-secret')).toBeUndefined();
    expect(r.list()).toEqual([]);
  });

  it('restores a stored device from its hash alone, revoked ones refused at connect', () => {
    const r = new DeviceRegistry();
    r.restore(device('d1'), {
      salt: 'pepper',
      secretHash: hashDeviceSecret('pepper', 'a-long-enough-secret'),
    });
    r.restore(device('d2'), { salt: 's', secretHash: hashDeviceSecret('s', 'a-long-enough-secret') }, true);
    expect(r.verify('d1', 'a-long-enough-secret')?.id).toBe('d1');
    expect(r.verify('d1', 'a-long-enough-secreT')).toBeUndefined();
    expect(r.verify('d2', 'a-long-enough-secret')).toBeUndefined();
    expect(r.isRevoked('d2')).toBe(true);
    expect(() => r.restore(device('d1'), { salt: 's', secretHash: 'x' })).toThrow(/already registered/);
  });
});

describe('device state from telemetry', () => {
  const setup = () => {
    const r = new DeviceRegistry();
    r.add(device('d1'), 'a-long-enough-secret', 's');
    r.add(device('d2'), 'a-long-enough-secret', 's');
    return { r, s: new DeviceStates(r, { ratePerS: 1, burst: 3 }) };
  };
  const report = (q: number, r: number) => encodeTelemetry({ q, r, s: 5, kw: 4.5, ds: 30 });

  it('refuses and counts malformed, oversized, unknown, replayed and early reports', () => {
    const { r, s } = setup();
    expect(s.telemetry('v1', 'd1', report(1, 0), 0, 0)).toEqual({ accepted: true });
    const refusals = [
      s.telemetry('v1', 'd1', '{"q":2', 0, 10_000),
      s.telemetry('v1', 'd1', '{"q":2,"r":0,"s":12,"kw":1,"ds":0}', 0, 20_000),
      s.telemetry('v1', 'd1', `{"q":2,"r":0,"s":1,"kw":1,"ds":0,"x":"${'a'.repeat(600)}"}`, 0, 30_000),
      s.telemetry('v1', 'dx', report(1, 0), 0, 40_000),
      s.telemetry('v2', 'd1', report(2, 0), 0, 50_000),
      s.telemetry('v1', 'd1', report(1, 0), 0, 60_000),
      s.telemetry('v1', 'd1', report(2, 5), 1, 70_000),
    ].map((o) => (o.accepted ? 'accepted' : o.reason));
    expect(refusals).toEqual([
      'malformed',
      'malformed',
      'oversized',
      'unknown-device',
      'wrong-vpp',
      'replayed',
      'future-round',
    ]);
    r.revoke('d1');
    expect(s.telemetry('v1', 'd1', report(3, 1), 1, 80_000)).toMatchObject({ reason: 'revoked' });
    expect(s.refusedTotal).toBe(8);
    expect(s.accepted).toBe(1);
  });

  it('throttles a flooding device', () => {
    const { s } = setup();
    const out = Array.from({ length: 10 }, (_, k) => s.telemetry('v1', 'd2', report(k + 1, 0), 0, 1000 + k));
    expect(out.filter((o) => o.accepted)).toHaveLength(3);
    expect(s.refused.throttled).toBe(7);
    expect(s.telemetry('v1', 'd2', report(20, 0), 0, 5000).accepted).toBe(true);
  });

  it('aggregates online, fresh devices only; the last will takes a device out', () => {
    const { s } = setup();
    s.telemetry('v1', 'd1', report(1, 0), 0, 0);
    s.telemetry('v1', 'd2', report(1, 0), 0, 0);
    const e = s.aggregate('v1', 0);
    expect(e[5]).toBeCloseTo(9, 9);
    s.status('v1', 'd2', 'offline');
    expect(s.aggregate('v1', 0)[5]).toBeCloseTo(4.5, 9);
    expect(s.available('v1', 0)).toBe(1);
    expect(s.available('v1', 4)).toBe(0);
    expect(s.status('v1', 'd2', 'maybe')).toMatchObject({ reason: 'malformed' });
  });
});

describe('wire formats', () => {
  it('round-trips a report and a broadcast and refuses what is not one', () => {
    expect(parseTelemetry(encodeTelemetry({ q: 3, r: 2, s: 9, kw: 1.23456, ds: 12.6 }))).toEqual({
      ok: true,
      value: { q: 3, r: 2, s: 9, kw: 1.235, ds: 13 },
    });
    const e = new Float64Array(AGG_LENGTH).map((_, i) => i / 3);
    const b = decodeBroadcast(encodeBroadcast({ round: 4, goalKw: 100, emergency: false, estimate: e }))!;
    expect(b.round).toBe(4);
    expect(b.estimate[3]).toBeCloseTo(1, 3);
    expect(decodeBroadcast('{"r":1}')).toBeUndefined();
    expect(decodeBroadcast('nope')).toBeUndefined();
  });

  it('logs commands with their acknowledgement, refusing acks that answer nothing', () => {
    const log = new CommandLog();
    const c = log.issue('d1', 'operator', 'disable', 1000);
    expect(log.ack('d2', JSON.stringify({ id: c.id, ok: true }), 1100)).toBe(false);
    expect(log.ack('d1', 'garbage', 1100)).toBe(false);
    expect(log.ack('d1', JSON.stringify({ id: c.id, ok: true }), 1200)).toBe(true);
    expect(log.ack('d1', JSON.stringify({ id: c.id, ok: true }), 1300)).toBe(false);
    expect(log.list('d1')[0]).toMatchObject({
      by: 'operator',
      kind: 'disable',
      issuedAtMs: 1000,
      ackedAtMs: 1200,
      ok: true,
    });
  });

  it('token buckets refill at their rate', () => {
    const b = new TokenBuckets(2, 2);
    expect(b.take('a', 0)).toBe(0);
    expect(b.take('a', 0)).toBe(0);
    expect(b.take('a', 0)).toBeCloseTo(500, 6);
    expect(b.take('a', 600)).toBe(0);
  });

  it('queues on credit: each held message waits behind the ones before it', () => {
    const b = new TokenBuckets(10, 1);
    expect(b.reserve('a', 0)).toBe(0);
    expect(b.reserve('a', 0)).toBeCloseTo(100, 6);
    expect(b.reserve('a', 0)).toBeCloseTo(200, 6);
    expect(b.reserve('a', 300)).toBeCloseTo(0, 6);
  });
});
