import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minutesMs } from '@gridtier/core/time';
import { GridTierClient } from '@gridtier/sdk';
import { addClient } from '@gridtier/server';
import { HandTime, residentialDayServer } from '@gridtier/server/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { HouseholdBot } from './bot.js';
import { planDay } from './plan.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('planDay', () => {
  it('puts each appliance in its cheapest hours within its window, never dearer than running at once', () => {
    const prices = Array.from({ length: 24 }, (_, h) => (h >= 17 && h < 21 ? 120 : h < 6 ? 30 : 60));
    const plan = planDay(
      [
        {
          name: 'dishwasher',
          earliestHour: 18,
          windowHours: 6,
          durationHours: 2,
          interruptible: false,
          kw: 1.2,
        },
        { name: 'ev', earliestHour: 0, windowHours: 24, durationHours: 4, interruptible: true, kw: 7 },
      ],
      prices,
    );
    expect(plan.appliances[0].hours).toEqual([21, 22]);
    expect(plan.appliances[1].hours.every((h) => h < 6)).toBe(true);
    for (const a of plan.appliances) expect(a.usd).toBeLessThanOrEqual(a.usdAtOnce + 1e-12);
    expect(plan.kwByHour.reduce((a, b) => a + b, 0)).toBeCloseTo(2 * 1.2 + 4 * 7, 9);
    expect(() =>
      planDay(
        [
          {
            ...plan.appliances[0],
            earliestHour: 20,
            windowHours: 6,
            durationHours: 1,
            interruptible: false,
            kw: 1,
          } as never,
        ],
        prices,
      ),
    ).toThrow(/dishwasher.*after hour 24/);
  });
});

describe('the household bot against a live server', () => {
  it('plans on its node’s day-ahead DLMPs and buys its demand in each real-time interval, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-bot-'));
    dirs.push(dir);
    const time = new HandTime();
    const server = await residentialDayServer(dir, time, 20);
    try {
      const { client: registered, clientSecret } = await addClient(server.repo, {
        name: 'bot-home',
        role: 'prosumer',
      });
      const client = new GridTierClient(server.url, registered.id, clientSecret);
      const home = server.day.sites[3];
      const config = {
        bus: home.bus,
        phases: home.phases,
        baseLoadKw: 0.6,
        bidMarkup: 3,
        appliances: [
          {
            name: 'dishwasher',
            earliestHour: 0,
            windowHours: 8,
            durationHours: 2,
            interruptible: false,
            kw: 1.2,
          },
          { name: 'ev', earliestHour: 0, windowHours: 12, durationHours: 4, interruptible: true, kw: 6.6 },
        ],
      };
      const bot = new HouseholdBot(client, config);
      // nothing to plan on before the day-ahead market has cleared
      expect(await bot.tick()).toEqual({ bids: 0 });
      expect(bot.plan).toBeUndefined();
      await time.advance(server, server.day.dayStartMs - minutesMs(4));
      expect((await bot.tick()).bids).toBe(1);
      expect(bot.dayStartMs).toBe(server.day.dayStartMs);
      expect(bot.pricesUsdPerMwh).toHaveLength(24);
      for (const a of bot.plan!.appliances) expect(a.usd).toBeLessThanOrEqual(a.usdAtOnce + 1e-12);
      // a second look bids nothing new; a restarted bot bids again under the same ids: one order each
      expect(await bot.tick()).toEqual({ bids: 0 });
      const again = new HouseholdBot(client, config);
      expect((await again.tick()).bids).toBe(1);
      expect((await client.orders({ market: 'lem-rt' })).orders).toHaveLength(1);

      for (let m = 1; m <= 2; m++) {
        await time.advance(server, server.day.dayStartMs + minutesMs(5 * m - 4));
        expect((await bot.tick()).bids).toBe(1);
      }
      await time.advance(server, server.day.dayStartMs + minutesMs(11));
      const fills = (await client.fills()).fills;
      // the intervals from 00:00, 00:05 and 00:10 have cleared
      expect(fills).toHaveLength(3);
      const hour0Kw = 0.6 + bot.plan!.kwByHour[0];
      for (const f of fills) {
        expect(f.market).toBe('lem-rt');
        expect(f.kwh).toBeCloseTo((-hour0Kw * 5) / 60, 6);
        expect(f.usd).toBeLessThan(0);
      }
      const statement = (await client.statements()).statements[0];
      expect(statement.balance.kwh).toBeCloseTo((-3 * hour0Kw * 5) / 60, 6);
    } finally {
      await server.close();
    }
  }, 120_000);
});
