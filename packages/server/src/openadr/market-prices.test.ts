import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minutesMs } from '@gridtier/core/time';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor } from '../http/test-support.js';
import { HandTime, residentialDayServer } from '../testing.js';
import { pricesAt } from './market-prices.js';
import { placeOf } from './place.js';
import { OpenAdrSpec, SPEC_PATH, VtnClient } from './test-support.js';

const spec = OpenAdrSpec.load();
if (!spec) console.warn(`skipping the OpenADR PRICE event test: no spec at ${SPEC_PATH}`);

type Obj = Record<string, unknown> & { id: string };
type PriceEvent = Obj & {
  eventName: string;
  targets: string[];
  intervalPeriod: { start: string; duration: string };
  intervals: { id: number; payloads: { type: string; values: number[] }[] }[];
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('placing a resource and pricing it from a clearing', () => {
  const dlmp = {
    nodes: ['b1.1', 'b1.2', 'b1.3', 'B2.1'],
    intervals: [{ total: [40, 50, 60, 70] }, { total: [41, 51, 61, 71] }],
  };
  const resource = (attributes: unknown[]) => ({
    id: 'r',
    kind: 'RESOURCE' as const,
    targets: [],
    createdMs: 0,
    modifiedMs: 0,
    body: { attributes },
  });

  it('reads BUS and PHASES and takes the DLMP at that node, $/MWh to $/kWh', () => {
    const one = placeOf(
      resource([
        { type: 'BUS', values: ['b2'] },
        { type: 'PHASES', values: [1] },
      ]),
    )!;
    expect(one).toEqual({ bus: 'b2', phases: [1] });
    expect(pricesAt(dlmp, one)).toEqual([0.07, 0.071]);
  });

  it('prices a resource on several phases at the mean of theirs, all three when PHASES is absent', () => {
    const three = placeOf(resource([{ type: 'BUS', values: ['B1'] }]))!;
    expect(pricesAt(dlmp, three)).toEqual([0.05, 0.051]);
    expect(pricesAt(dlmp, { bus: 'b1', phases: [1, 3] })).toEqual([0.05, 0.051]);
  });

  it('places nothing without a bus, and prices nothing at a node the clearing does not have', () => {
    expect(placeOf(resource([{ type: 'PHASES', values: [1] }]))).toBeUndefined();
    expect(
      placeOf(
        resource([
          { type: 'BUS', values: ['b1'] },
          { type: 'PHASES', values: ['x'] },
        ]),
      ),
    ).toBeUndefined();
    expect(pricesAt(dlmp, { bus: 'b2', phases: [2] })).toBeUndefined();
  });
});

describe.skipIf(!spec)('PRICE events from the live LEM', () => {
  it('gives each VEN, on each clearing, a PRICE event equal to the DLMPs at its resource’s bus and phase', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-openadr-'));
    dirs.push(dir);
    const time = new HandTime();
    const server = await residentialDayServer(dir, time, 20);
    try {
      const dayMs = server.day.dayStartMs;
      const [siteA, siteB] = [
        server.day.sites[0],
        server.day.sites.find((s) => s.bus !== server.day.sites[0].bus)!,
      ];
      const bl = await VtnClient.of(server, spec!, 'utility', 'dso');
      const venA = await VtnClient.of(server, spec!, 'home-a', 'ven');
      const venB = await VtnClient.of(server, spec!, 'home-b', 'ven');
      // BL enrols the first; the second registers itself and its resource
      const a = await bl.call<Obj>('POST', '/vens', {
        body: { objectType: 'BL_VEN_REQUEST', clientID: venA.clientId, venName: 'ven-a' },
      });
      await bl.call('POST', '/resources', {
        body: {
          objectType: 'BL_RESOURCE_REQUEST',
          clientID: venA.clientId,
          venID: a.body.id,
          resourceName: 'home',
          attributes: [
            { type: 'BUS', values: [siteA.bus] },
            { type: 'PHASES', values: siteA.phases },
          ],
        },
      });
      const b = await venB.call<Obj>('POST', '/vens', {
        body: { objectType: 'VEN_VEN_REQUEST', venName: 'ven-b' },
      });
      await venB.call('POST', '/resources', {
        body: {
          objectType: 'VEN_RESOURCE_REQUEST',
          venID: b.body.id,
          resourceName: 'home',
          attributes: [
            { type: 'BUS', values: [siteB.bus] },
            { type: 'PHASES', values: siteB.phases },
          ],
        },
      });

      // the day's first two real-time intervals clear
      await time.advance(server, dayMs + minutesMs(11));
      await server.openadr.prices.idle();
      const market = await clientFor(server, 'reader', 'device');
      // the day-ahead LEM's clearing and the real-time ones: each market has its program
      const dlmps = (await market.dlmps()).dlmps;
      expect(dlmps.filter((d) => d.market === 'lem-rt').length).toBeGreaterThanOrEqual(2);
      const programs = (await bl.call<Obj[]>('GET', '/programs')).body;
      const programOf = (m: string) => programs.find((p) => p.programName === `gridtier-${m}`)?.id;
      expect(new Set(dlmps.map((d) => programOf(d.market))).size).toBe(
        new Set(dlmps.map((d) => d.market)).size,
      );

      for (const [ven, site, name] of [
        [venA, siteA, 'ven-a'],
        [venB, siteB, 'ven-b'],
      ] as const) {
        const events = (await ven.call<PriceEvent[]>('GET', '/events')).body;
        // one per clearing, each its own: targeted at its name alone
        expect(events).toHaveLength(dlmps.length);
        for (const e of events) expect(e.targets).toEqual([name]);
        for (const d of dlmps) {
          const e = events.find(
            (x) =>
              x.programID === programOf(d.market) &&
              x.intervalPeriod.start === new Date(d.deliveryStart).toISOString(),
          )!;
          expect(e, d.session).toBeDefined();
          expect(e.intervalPeriod.duration).toBe(`PT${d.intervalMinutes}M`);
          expect(e.intervals).toHaveLength(d.intervals.length);
          const cols = site.phases.map((p) => d.nodes.indexOf(`${site.bus}.${p}`));
          expect(cols.every((c) => c >= 0)).toBe(true);
          for (const [i, iv] of d.intervals.entries()) {
            const dlmpUsdPerKwh = cols.reduce((s, c) => s + iv.total[c], 0) / cols.length / 1000;
            const price = e.intervals[i].payloads.find((p) => p.type === 'PRICE')!.values[0];
            const exportPrice = e.intervals[i].payloads.find((p) => p.type === 'EXPORT_PRICE')!.values[0];
            expect(price).toBeCloseTo(dlmpUsdPerKwh, 12);
            expect(exportPrice).toBeCloseTo(dlmpUsdPerKwh, 12);
            expect(price).toBeGreaterThan(0);
          }
        }
      }
      // the two homes are on different buses: their prices are their own
      const [pa, pb] = await Promise.all(
        [venA, venB].map(async (v) =>
          (await v.call<PriceEvent[]>('GET', '/events')).body.map(
            (e) => e.intervals[0].payloads[0].values[0],
          ),
        ),
      );
      expect(pa).not.toEqual(pb);
      // BL sees every VEN's; the events belong to the market's program
      const all = (await bl.call<PriceEvent[]>('GET', '/events')).body;
      expect(all).toHaveLength(2 * dlmps.length);
      const program = programs.find((p) => p.programName === 'gridtier-lem-rt')!;
      expect(all.every((e) => programs.some((p) => p.id === e.programID))).toBe(true);
      // and a VEN's USAGE report on one of them is kept
      const mine = (await venA.call<PriceEvent[]>('GET', '/events', { query: `programID=${program.id}` }))
        .body[0];
      const report = await venA.call<Obj>('POST', '/reports', {
        body: {
          eventID: mine.id,
          clientName: 'home-a',
          payloadDescriptors: [
            { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', units: 'KWH' },
          ],
          resources: [
            {
              resourceName: 'home',
              intervalPeriod: mine.intervalPeriod,
              intervals: [{ id: 0, payloads: [{ type: 'USAGE', values: [0.31] }] }],
            },
          ],
        },
      });
      expect(report.status).toBe(201);
      expect(
        (await bl.call<Obj[]>('GET', '/reports', { query: `programID=${program.id}` })).body.map((r) => r.id),
      ).toEqual([report.body.id]);
      expect(server.openadr.prices.counts).toMatchObject({ failed: 0, unplaced: 0 });
      expect([bl, venA, venB].flatMap((c) => c.violations)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);
});
