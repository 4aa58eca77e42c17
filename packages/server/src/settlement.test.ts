import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, testServer } from './http/test-support.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('meter readings settle the intervals they cover', () => {
  it('settles each participant’s metered interval against its trades once, in its own statement, and again after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-settle-'));
    dirs.push(dir);
    let server = await testServer({ data: dir });
    try {
      const alice = await clientFor(server, 'alice', 'prosumer');
      const bob = await clientFor(server, 'bob', 'prosumer');
      const meter = await clientFor(server, 'meter-oracle', 'oracle');
      const s = (await alice.markets({ market: 'intraday' })).sessions[0];
      await alice.submit({
        market: 'intraday',
        session: s.id,
        clientOrderId: 'a',
        order: { side: 'sell', price: 0.1, quantity: 2 },
      });
      await bob.submit({
        market: 'intraday',
        session: s.id,
        clientOrderId: 'b',
        order: { side: 'buy', price: 0.1, quantity: 2 },
      });
      const hour = { intervalStart: s.deliveryStart, intervalMinutes: 60 as const };
      // alice delivered 1.5 of the 2 kWh she sold; bob took what he bought
      const first = await meter.reportReadings([
        { meter: 'alice', ...hour, kwh: 1.5 },
        { meter: 'bob', ...hour, kwh: -2 },
      ]);
      expect(first).toMatchObject({ stored: 2, settled: 2 });
      const again = await meter.reportReadings([{ meter: 'alice', ...hour, kwh: 9 }]);
      expect(again).toMatchObject({ stored: 0, settled: 0 });

      const mine = (await alice.statements()).statements;
      expect(mine.map((x) => x.participant)).toEqual(['alice']);
      const [interval] = mine[0].intervals;
      expect(interval).toMatchObject({
        intervalStart: s.deliveryStart,
        intervalMinutes: 60,
        meteredKwh: 1.5,
      });
      expect(interval.contractedKwh).toBeCloseTo(2, 9);
      expect(interval.imbalanceKwh).toBeCloseTo(-0.5, 9);
      // the shortfall is bought from the DSO at its shortfall price
      expect(interval.usd).toBeCloseTo(-0.5 * interval.usdPerKwh, 9);
      expect(interval.usdPerKwh).toBeGreaterThan(0);
      const bobs = (await bob.statements()).statements[0].intervals;
      expect(bobs).toHaveLength(1);
      expect(bobs[0].imbalanceKwh).toBeCloseTo(0, 9);
      // no one reads another's settlement
      await expect(bob.statements('alice')).rejects.toMatchObject({ status: 403 });
      await server.close();

      server = await testServer({ data: dir });
      const alice2 = await clientFor(server, 'alice-again', 'auditor');
      const replayed = (await alice2.statements('alice')).statements[0];
      expect(replayed.intervals).toEqual(mine[0].intervals);
      expect(replayed.balance).toEqual(mine[0].balance);
      const meter2 = await clientFor(server, 'meter-2', 'oracle');
      expect(await meter2.reportReadings([{ meter: 'alice', ...hour, kwh: 1.5 }])).toMatchObject({
        settled: 0,
      });
    } finally {
      await server.close();
    }
  });
});
