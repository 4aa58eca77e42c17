import type { EngineEvent } from '@gridtier/core/engine';
import { describe, expect, it } from 'vitest';
import type { ClientRecord, DeviceRecord, Repository } from './repository.js';

/** How a suite run gets a repository: a fresh, empty one each time. */
export interface RepositoryFactory {
  name: string;
  open(): Promise<Repository>;
}

const T0 = Date.UTC(2026, 6, 15);
const client = (id: string, extra: Partial<ClientRecord> = {}): ClientRecord => ({
  id,
  name: `name-${id}`,
  role: 'prosumer',
  secretHash: 'a'.repeat(64),
  createdMs: T0,
  ...extra,
});
const ev = (seq: number, to?: string[]): EngineEvent => ({
  seq,
  t: T0 + seq,
  type: seq % 2 === 0 ? 'market.trade' : 'order.accepted',
  actor: 'suite',
  ...(to ? { to } : {}),
  payload: { seq, usd: 0.1 * seq, nested: { z: 1, a: [2, 1] } },
});

/** The behaviour every Repository must show, whatever database is under it. */
export function repositorySuite(factory: RepositoryFactory): void {
  describe(`Repository: ${factory.name}`, () => {
    it('keeps clients, refuses a second client of the same id or name, and revokes once', async () => {
      const repo = await factory.open();
      try {
        await repo.addClient(client('c1', { role: 'dso' }));
        await repo.addClient(client('c2'));
        await expect(repo.addClient(client('c1', { name: 'other' }))).rejects.toThrow();
        await expect(repo.addClient(client('c3', { name: 'name-c2' }))).rejects.toThrow();
        expect(await repo.client('c1')).toEqual(client('c1', { role: 'dso' }));
        expect(await repo.client('nope')).toBeUndefined();
        expect((await repo.clients()).map((c) => c.id)).toEqual(['c1', 'c2']);
        expect(await repo.revokeClient('c2', T0 + 5)).toBe(true);
        expect(await repo.revokeClient('c2', T0 + 9)).toBe(true);
        expect((await repo.client('c2'))?.revokedMs).toBe(T0 + 5);
        expect(await repo.revokeClient('nope', T0)).toBe(false);
      } finally {
        await repo.close();
      }
    });

    it('tells listeners which client was revoked', async () => {
      const repo = await factory.open();
      try {
        const heard: string[] = [];
        await repo.onRevoke((id) => heard.push(id));
        await repo.addClient(client('c1'));
        await repo.revokeClient('c1', T0);
        for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
        expect(heard).toEqual(['c1']);
      } finally {
        await repo.close();
      }
    });

    it('stores a meta value once and gives back the first', async () => {
      const repo = await factory.open();
      try {
        expect(await repo.meta('epoch', { t: 1 })).toEqual({ t: 1 });
        expect(await repo.meta('epoch', { t: 2 })).toEqual({ t: 1 });
      } finally {
        await repo.close();
      }
    });

    it('appends events whole, reads them back exactly, and filters by reader and type', async () => {
      const repo = await factory.open();
      try {
        expect(await repo.lastSeq()).toBe(0);
        const events = [ev(1), ev(2, ['hh1']), ev(3, ['hh2', 'vpp1']), ev(4)];
        await repo.appendEvents(events);
        expect(await repo.lastSeq()).toBe(4);
        expect(await repo.events()).toEqual(events);
        expect(await repo.events({ fromSeq: 3, limit: 1 })).toEqual([events[2]]);
        expect((await repo.events({ visibleTo: ['hh1'] })).map((e) => e.seq)).toEqual([1, 2, 4]);
        expect((await repo.events({ visibleTo: ['vpp1', 'x'] })).map((e) => e.seq)).toEqual([1, 3, 4]);
        expect((await repo.events({ types: ['market.trade'] })).map((e) => e.seq)).toEqual([2, 4]);
        // a batch with one bad event (a sequence number taken) leaves nothing behind
        await expect(repo.appendEvents([ev(5), ev(4)])).rejects.toThrow();
        expect(await repo.lastSeq()).toBe(4);
      } finally {
        await repo.close();
      }
    });

    it('stores meter readings once per meter and interval', async () => {
      const repo = await factory.open();
      try {
        const r = (meter: string, i: number, kwh: number) => ({
          meter,
          intervalStartMs: T0 + i * 900_000,
          intervalMinutes: 15,
          kwh,
        });
        expect(
          await repo.addReadings('oracle1', [r('m1', 0, 1.5), r('m1', 1, 2), r('m2', 0, -0.25)], T0),
        ).toEqual({
          stored: 3,
          duplicates: [],
        });
        expect(await repo.addReadings('oracle1', [r('m1', 0, 9), r('m1', 2, 3)], T0)).toEqual({
          stored: 1,
          duplicates: [r('m1', 0, 9)],
        });
        const m1 = await repo.readings({ meter: 'm1' });
        expect(m1.map((x) => x.kwh)).toEqual([1.5, 2, 3]);
        expect(m1[0]).toEqual({ ...r('m1', 0, 1.5), oracle: 'oracle1', receivedMs: T0 });
        expect((await repo.readings({ fromMs: T0 + 1, toMs: T0 + 2_000_000 })).length).toBe(2);
      } finally {
        await repo.close();
      }
    });

    it('keeps a resource’s reported readings, a later report of an interval replacing it, gone with the resource', async () => {
      const repo = await factory.open();
      try {
        const at = (type: 'USAGE' | 'BASELINE', i: number, kwh: number, reportId = 'rep1') => ({
          resourceId: 'res1',
          type,
          intervalStartMs: T0 + i * 900_000,
          durationMs: 900_000,
          kwh,
          reportId,
          clientId: 'c1',
          receivedMs: T0,
        });
        await repo.adrInsert({
          id: 'res1',
          kind: 'RESOURCE',
          clientId: 'c1',
          name: 'home',
          targets: [],
          createdMs: T0,
          modifiedMs: T0,
          body: {},
        });
        await repo.adrPutReadings([at('USAGE', 0, 0.5), at('USAGE', 1, 0.7), at('BASELINE', 0, 0.9)]);
        await repo.adrPutReadings([at('USAGE', 1, 0.6, 'rep2')]);
        expect(await repo.adrReadings({ resourceId: 'res1' })).toEqual([
          at('BASELINE', 0, 0.9),
          at('USAGE', 0, 0.5),
          at('USAGE', 1, 0.6, 'rep2'),
        ]);
        expect(
          (await repo.adrReadings({ resourceId: 'res1', type: 'USAGE', fromMs: T0 + 1 })).map((r) => r.kwh),
        ).toEqual([0.6]);
        await repo.adrDelete('RESOURCE', 'res1');
        expect(await repo.adrReadings({ resourceId: 'res1' })).toEqual([]);
      } finally {
        await repo.close();
      }
    });

    it('keeps devices with their secret hash, refuses a taken id, and revokes once', async () => {
      const repo = await factory.open();
      try {
        const d = (id: string, vpp = 'vpp1'): DeviceRecord => ({
          id,
          owner: 'hh1',
          kind: 'airConditioner',
          tier: 'green',
          bus: 'b7',
          phase: 'b',
          vpp,
          salt: 'pepper',
          secretHash: 'c'.repeat(64),
          createdMs: T0,
        });
        await repo.addDevice(d('d2'));
        await repo.addDevice(d('d1', 'vpp2'));
        await expect(repo.addDevice(d('d2', 'vpp3'))).rejects.toMatchObject({
          details: { code: 'CONFLICT', field: 'id' },
        });
        expect(await repo.devices()).toEqual([d('d2'), d('d1', 'vpp2')]);
        expect(await repo.revokeDevice('d2', T0 + 5)).toBe(true);
        expect(await repo.revokeDevice('d2', T0 + 9)).toBe(true);
        expect(await repo.revokeDevice('nope', T0)).toBe(false);
        expect((await repo.devices())[0]).toEqual({ ...d('d2'), revokedMs: T0 + 5 });
      } finally {
        await repo.close();
      }
    });
  });
}
