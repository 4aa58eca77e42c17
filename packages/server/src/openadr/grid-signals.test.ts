import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busesDownstream, type FeederMap, type RedFlag } from '@gridtier/core/agents';
import { minutesMs } from '@gridtier/core/time';
import { afterAll, describe, expect, it } from 'vitest';
import { HandTime, residentialDayServer } from '../testing.js';
import { DSO_PROGRAM, limitShare } from './capacity-limits.js';
import { OpenAdrSpec, SPEC_PATH, VtnClient } from './test-support.js';
import { VPP_PROGRAM, vppTarget } from './vpp-dispatch.js';

const spec = OpenAdrSpec.load();
if (!spec) console.warn(`skipping the OpenADR grid signal test: no spec at ${SPEC_PATH}`);

type Obj = Record<string, unknown> & { id: string };
type AdrEvent = Obj & {
  eventName: string;
  programID: string;
  targets: string[];
  intervalPeriod: { start: string; duration: string };
  intervals: { id: number; payloads: { type: string; values: number[] }[] }[];
};
interface Fill {
  market: string;
  session: string;
  participant: string;
  detail?: { kw?: number[] };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!spec)('DSO limits and VPP dispatch from the live day', () => {
  it('gives VENs at or below a flagged bus a capacity limit, and a VPP’s VEN its cleared schedule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-openadr-signals-'));
    dirs.push(dir);
    const time = new HandTime();
    // a DSO alarm band wide enough (below 1.03 pu) that the feeder's weaker laterals are flagged from the first readings
    const server = await residentialDayServer(dir, time, 20, { dsoAlarmBandPu: 0.08 });
    try {
      const flags: RedFlag[] = [];
      const fills: Fill[] = [];
      server.live.onEvent((e) => {
        if (e.type === 'dso.flag') flags.push(e.payload as RedFlag);
        if (e.type === 'market.fill') fills.push(e.payload as Fill);
      });
      const sites = server.day.sites;
      const bl = await VtnClient.of(server, spec!, 'utility', 'dso');
      // one VEN per bus of the day's homes and at every tenth bus of the feeder, and one for the first home's VPP
      const feeder = await feederOf(server.url, bl.token);
      const buses = [
        ...new Set([
          ...sites.map((s) => s.bus.toLowerCase()),
          ...feeder.buses.filter((_, i) => i % 10 === 5).map((b) => b.name.toLowerCase()),
        ]),
      ];
      const vens = new Map<string, VtnClient>();
      for (const bus of buses) {
        const c = await VtnClient.of(server, spec!, `home-${bus}`, 'ven');
        const v = await bl.call<Obj>('POST', '/vens', {
          body: { objectType: 'BL_VEN_REQUEST', clientID: c.clientId, venName: `ven-${bus}` },
        });
        await bl.call('POST', '/resources', {
          body: {
            objectType: 'BL_RESOURCE_REQUEST',
            clientID: c.clientId,
            venID: v.body.id,
            resourceName: 'home',
            attributes: [{ type: 'BUS', values: [bus] }],
          },
        });
        vens.set(bus, c);
      }
      const vpp = sites[0].vpp;
      const vppVen = await VtnClient.of(server, spec!, 'aggregator', 'ven');
      await bl.call('POST', '/vens', {
        body: {
          objectType: 'BL_VEN_REQUEST',
          clientID: vppVen.clientId,
          venName: 'ven-aggregator',
          targets: [vppTarget(vpp)],
        },
      });

      await time.advance(server, server.day.dayStartMs + minutesMs(26));
      await Promise.all([server.openadr.limits.idle(), server.openadr.dispatch.idle()]);
      expect(server.openadr.limits.counts.failed).toBe(0);
      expect(server.openadr.dispatch.counts.failed).toBe(0);

      // limits: per flagged reading, every VEN at or below an alarm bus, none other
      expect(flags.length).toBeGreaterThan(0);
      const expected = new Map<string, { start: string; value: number }[]>();
      for (const startMs of [...new Set(flags.map((f) => f.startMs))]) {
        const raised = flags.filter((f) => f.startMs === startMs);
        const below = busesDownstream(
          feeder,
          raised.flatMap((f) => f.alarmBuses ?? []),
        );
        const value = limitShare(Math.max(...raised.map((f) => f.reliefShare ?? 0)));
        for (const bus of buses.filter((b) => below.has(b)))
          expected.set(bus, [
            ...(expected.get(bus) ?? []),
            { start: new Date(startMs).toISOString(), value },
          ]);
      }
      // some homes are flagged and some are not: the limits follow the feeder's tree
      expect(expected.size).toBeGreaterThan(0);
      expect(expected.size).toBeLessThan(buses.length);
      const dso = (await bl.call<Obj[]>('GET', '/programs')).body.find((p) => p.programName === DSO_PROGRAM)!;
      for (const [bus, c] of vens) {
        const got = (await c.call<AdrEvent[]>('GET', '/events', { query: `programID=${dso.id}` })).body;
        expect(got.map((e) => e.targets)).toEqual(got.map(() => [`ven-${bus}`]));
        expect(
          got.map((e) => {
            const [p] = e.intervals[0].payloads;
            expect(p.type).toBe('IMPORT_CAPACITY_LIMIT');
            expect(e.intervalPeriod.duration).toBe('PT15M');
            return { start: e.intervalPeriod.start, value: p.values[0] };
          }),
          bus,
        ).toEqual(expected.get(bus) ?? []);
      }

      // dispatch: the VPP's fills of each LEM clearing, summed per interval
      const schedules = new Map<string, number[]>();
      for (const f of fills.filter((x) => x.participant === vpp && Array.isArray(x.detail?.kw))) {
        const sum = schedules.get(f.session) ?? f.detail!.kw!.map(() => 0);
        f.detail!.kw!.forEach((kw, i) => {
          sum[i] += kw;
        });
        schedules.set(f.session, sum);
      }
      expect(schedules.size).toBeGreaterThan(0);
      const program = (await bl.call<Obj[]>('GET', '/programs')).body.find(
        (p) => p.programName === VPP_PROGRAM,
      )!;
      const dispatched = (
        await vppVen.call<AdrEvent[]>('GET', '/events', { query: `programID=${program.id}` })
      ).body;
      expect(dispatched.map((e) => e.eventName).sort()).toEqual(
        [...schedules.keys()].map((s) => `${s} ${vpp}`).sort(),
      );
      for (const e of dispatched) {
        const kw = schedules.get(e.eventName.slice(0, -(vpp.length + 1)))!;
        expect(e.targets).toEqual([vppTarget(vpp)]);
        expect(e.intervals.map((i) => i.payloads[0])).toEqual(
          kw.map((x) => ({ type: 'DISPATCH_SETPOINT', values: [x] })),
        );
      }
      // the schedule is the VPP's: a household's VEN does not see it
      const home = vens.values().next().value!;
      expect(
        (await home.call<AdrEvent[]>('GET', '/events', { query: `programID=${program.id}` })).body,
      ).toEqual([]);
      expect(
        (await home.call('GET', '/events/{eventID}', { ids: { eventID: dispatched[0].id } })).status,
      ).toBe(404);
      expect([bl, vppVen, ...vens.values()].flatMap((c) => c.violations)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 240_000);
});

/** The day's feeder map as the server publishes it. */
async function feederOf(url: string, token: string): Promise<FeederMap> {
  const res = await fetch(`${url}/v1/grid`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { feeder: FeederMap | null };
  if (body.feeder === null) throw new Error('the day has no feeder map');
  return body.feeder;
}
