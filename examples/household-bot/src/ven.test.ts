import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minutesMs } from '@gridtier/core/time';
import { GridTierClient } from '@gridtier/sdk';
import { addClient } from '@gridtier/server';
import { HandTime, residentialDayServer } from '@gridtier/server/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { nodePrices } from './bot.js';
import { type DayPlan, planDay } from './plan.js';
import { HouseholdVen } from './ven.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const appliances = [
  { name: 'dishwasher', earliestHour: 0, windowHours: 8, durationHours: 2, interruptible: false, kw: 1.2 },
  { name: 'ev', earliestHour: 0, windowHours: 12, durationHours: 4, interruptible: true, kw: 6.6 },
];

describe('the household as an OpenADR VEN against a live server', () => {
  it('plans on the PRICE events it is sent, re-plans on each real-time one and reports its usage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-ven-'));
    dirs.push(dir);
    const time = new HandTime();
    const server = await residentialDayServer(dir, time, 20);
    const home = server.day.sites[3];
    const { client, clientSecret } = await addClient(server.repo, { name: 'ven-home', role: 'ven' });
    const ven = new HouseholdVen(server.url, client.id, clientSecret, {
      venName: 'ven-home',
      resourceName: 'home',
      bus: home.bus,
      phases: home.phases,
      baseLoadKw: 0.6,
      appliances,
    });
    try {
      await ven.enrol();
      // enrolling again (a restart) finds what is there
      await ven.enrol();
      await ven.listen();
      expect(await ven.poll()).toBe(0);
      expect(ven.plan).toBeUndefined();

      // the day-ahead LEM clears the afternoon before: the VEN is sent its node's prices and plans
      await time.advance(server, server.day.dayStartMs - minutesMs(4));
      await server.openadr.prices.idle();
      await server.openadr.webhooks.idle();
      await until(() => ven.plan !== undefined);
      const reader = await addClient(server.repo, { name: 'reader', role: 'device' });
      const market = new GridTierClient(server.url, reader.client.id, reader.clientSecret);
      const da = (await market.dlmps({ market: 'lem-da' })).dlmps.at(-1)!;
      const usdPerMwh = nodePrices(da, home.bus, home.phases);
      expect(ven.dayStartMs).toBe(server.day.dayStartMs);
      for (const [h, p] of usdPerMwh.entries()) expect(ven.usdPerKwhByHour[h] * 1000).toBeCloseTo(p, 9);
      expectSamePlan(ven.plan!, planDay(appliances, usdPerMwh));

      // real-time intervals clear: each re-prices its hour, the plan is remade, usage reported
      await time.advance(server, server.day.dayStartMs + minutesMs(11));
      await server.openadr.prices.idle();
      await server.openadr.webhooks.idle();
      const rt = (await market.dlmps({ market: 'lem-rt' })).dlmps;
      expect(rt.length).toBeGreaterThanOrEqual(2);
      await until(() => ven.reported.length === rt.length);
      const last = nodePrices(rt.at(-1)!, home.bus, home.phases)[0];
      expect(ven.usdPerKwhByHour[0] * 1000).toBeCloseTo(last, 9);
      expectSamePlan(
        ven.plan!,
        planDay(
          appliances,
          ven.usdPerKwhByHour.map((p) => p * 1000),
        ),
      );
      // the VTN kept its reports, on its own events
      expect(server.openadr.webhooks.counts.failed).toBe(0);
      const reports = await server.repo.adrList({ kind: 'REPORT', clientId: client.id });
      expect(reports.map((r) => r.eventId).sort()).toEqual([...ven.reported].sort());
      const kwh = ((0.6 + ven.plan!.kwByHour[0]) * 5) / 60;
      const usage = reports.at(-1)!.body.resources as { intervals: { payloads: { values: number[] }[] }[] }[];
      expect(usage[0].intervals[0].payloads[0].values[0]).toBeCloseTo(kwh, 9);
      // a poll after the webhooks finds nothing new
      expect(await ven.poll()).toBe(0);
    } finally {
      await ven.close();
      await server.close();
    }
  }, 180_000);
});

/** The same hours and demand; costs equal but for rounding ($/kWh from the VTN, $/MWh in the market). */
function expectSamePlan(a: DayPlan, b: DayPlan): void {
  expect(a.kwByHour).toEqual(b.kwByHour);
  expect(a.appliances.map((x) => x.hours)).toEqual(b.appliances.map((x) => x.hours));
  for (const [i, x] of a.appliances.entries()) expect(x.usd).toBeCloseTo(b.appliances[i].usd, 9);
}

/** Waits for the VEN's own handling of a notification (it answers the VTN first, then works). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done()).toBe(true);
}
