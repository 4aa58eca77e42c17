// A feeder's nodal LEM that follows its substation's exchange: the price at its source bus is the
// substation's clearing price wherever the exchange cleared the interval, the ISO's elsewhere.
import { describe, expect, it } from 'vitest';
import type { OrderTicket, Session } from '../engine/index.js';
import { InProcessLemClearer, type Order } from '../market/index.js';
import { demoFeeder, losslessFeeder, stateOf } from '../market/lem/test-support.js';
import { HighsSolver } from '../opt/index.js';
import { MS_PER_HOUR, minutesMs, PRODUCTS, windowOf } from '../time/index.js';
import { LemMarket } from './lem-market.js';
import { SubstationPrices } from './substation-prices.js';

const day = Date.UTC(2026, 6, 15);
const solver = await HighsSolver.create();

const ticket = (orderId: string, participant: string, order: Record<string, unknown>) =>
  ({
    orderId,
    clientOrderId: orderId,
    participant,
    market: 'm',
    session: 's',
    seq: 1,
    t: 0,
    order: { id: orderId, participant, ...order } as Order,
  }) as OrderTicket<Order>;

const sessionOf = (product: typeof PRODUCTS.rt5, deliveryStartMs: number): Session => ({
  ...windowOf(product, deliveryStartMs),
  id: `m@${deliveryStartMs}`,
  market: 'm',
  state: 'closed',
});

interface Cleared {
  source: { usdPerMwh: number[]; from: string[] };
  dlmp: { intervals: { total: number[]; energy: number[]; loss: number[] }[] };
}

describe('a LEM that follows its substation’s exchange', () => {
  it('takes the substation’s price as the energy part of every DLMP and buys its import from the substation', async () => {
    const feeder = stateOf(`Redirect ${demoFeeder}`);
    const prices = new SubstationPrices();
    const rt = new LemMarket({
      id: 'rt',
      market: 'rtm',
      product: PRODUCTS.rt5,
      feeder,
      clearer: new InProcessLemClearer(feeder, solver),
      isoPricesUsdPerMwh: () => [40],
      voltageLimitsPu: [0.9, 1.1],
      loadMultiplier: 0,
    });
    rt.followSubstation(prices);
    const t0 = day + MS_PER_HOUR;
    // the exchange cleared 10:00 above the ISO (its import limit bound), not 10:05
    prices.record({
      intervalStartMs: t0,
      intervalEndMs: t0 + minutesMs(5),
      usdPerKwh: 0.1375,
      binding: 'import',
    });
    const live = [
      ticket('ev', 'ev', { type: 'bid', bus: 'n4', steps: [{ price: 300, quantityKw: 150 }] }),
      ticket('pv', 'pv', { type: 'offer', bus: 'n6', steps: [{ price: 10, quantityKw: 60 }] }),
    ];
    for (const [start, want, account] of [
      [t0, 137.5, 'substation'],
      [t0 + minutesMs(5), 40, 'iso'],
    ] as const) {
      const out = await rt.clear(sessionOf(PRODUCTS.rt5, start), live);
      const r = out.result as unknown as Cleared;
      expect(r.source).toEqual({ usdPerMwh: [want], from: [account] });
      const iv = r.dlmp.intervals[0];
      for (const e of iv.energy) expect(e).toBeCloseTo(want, 6);
      // losses on the demo feeder: the totals differ from the energy part, which alone follows the source
      expect(iv.loss.some((l) => Math.abs(l) > 1e-3)).toBe(true);
      const source = out.lines.filter((l) => l.account === 'substation' || l.account === 'iso');
      expect(source.map((l) => l.account)).toEqual([account]);
      expect(source[0].kwh).toBeGreaterThan(0);
      expect(source[0].usd / source[0].kwh).toBeCloseTo(want / 1000, 6);
      const money = out.fills.reduce((a, f) => a + f.usd, 0) + out.lines.reduce((a, l) => a + l.usd, 0);
      expect(Math.abs(money)).toBeLessThan(1e-9);
    }
  });

  it('splits a session’s source trade between the substation’s intervals and the ISO’s', async () => {
    const feeder = stateOf(losslessFeeder);
    const prices = new SubstationPrices();
    const iso = new Array<number>(24).fill(40);
    const da = new LemMarket({
      id: 'da',
      market: 'dam',
      product: PRODUCTS.dayAhead,
      feeder,
      clearer: new InProcessLemClearer(feeder, solver),
      isoPricesUsdPerMwh: () => iso,
      voltageLimitsPu: [0.9, 1.1],
      loadMultiplier: 0,
    });
    da.followSubstation(prices);
    // hours 3 and 17 cleared at the substation (an hour-long exchange interval each)
    for (const [h, usdPerKwh] of [
      [3, 0.06],
      [17, 0.02],
    ])
      prices.record({
        intervalStartMs: day + h * MS_PER_HOUR,
        intervalEndMs: day + (h + 1) * MS_PER_HOUR,
        usdPerKwh,
        binding: null,
      });
    const live = [
      ticket('load', 'home', { type: 'bid', bus: 'b2', steps: [{ price: 200, quantityKw: 100 }] }),
    ];
    const out = await da.clear(sessionOf(PRODUCTS.dayAhead, day), live);
    const r = out.result as unknown as Cleared;
    expect(r.source.usdPerMwh.filter((p) => p !== 40)).toEqual([60, 20]);
    expect(r.source.from[3]).toBe('substation');
    expect(r.source.from[4]).toBe('iso');
    for (const [h, want] of [
      [3, 60],
      [17, 20],
      [4, 40],
    ])
      for (const p of r.dlmp.intervals[h].total) expect(p).toBeCloseTo(want, 6);
    const sub = out.lines.find((l) => l.account === 'substation')!;
    const isoLine = out.lines.find((l) => l.account === 'iso')!;
    // 100 kW in each of two hours from the substation, 22 from the ISO, lossless
    expect(sub.kwh).toBeCloseTo(200, 6);
    expect(sub.usd).toBeCloseTo(100 * 0.06 + 100 * 0.02, 6);
    expect(isoLine.kwh).toBeCloseTo(2200, 6);
    expect(isoLine.usd).toBeCloseTo(2200 * 0.04, 6);
    const money = out.fills.reduce((a, f) => a + f.usd, 0) + out.lines.reduce((a, l) => a + l.usd, 0);
    expect(Math.abs(money)).toBeLessThan(1e-9);
  });

  it('a LEM that does not follow a substation publishes its result as before (its logs replay)', async () => {
    const feeder = stateOf(losslessFeeder);
    const rt = new LemMarket({
      id: 'rt',
      market: 'rtm',
      product: PRODUCTS.rt5,
      feeder,
      clearer: new InProcessLemClearer(feeder, solver),
      isoPricesUsdPerMwh: () => [40],
      voltageLimitsPu: [0.9, 1.1],
      loadMultiplier: 0,
    });
    const out = await rt.clear(sessionOf(PRODUCTS.rt5, day), [
      ticket('load', 'home', { type: 'bid', bus: 'b2', steps: [{ price: 200, quantityKw: 100 }] }),
    ]);
    expect(out.result).not.toHaveProperty('source');
    expect(out.lines.map((l) => l.account)).toEqual(['iso', 'dso']);
  });

  it('without a price from either, says so', async () => {
    const feeder = stateOf(losslessFeeder);
    const rt = new LemMarket({
      id: 'rt',
      market: 'rtm',
      product: PRODUCTS.rt5,
      feeder,
      clearer: new InProcessLemClearer(feeder, solver),
      isoPricesUsdPerMwh: () => undefined,
      voltageLimitsPu: [0.9, 1.1],
    });
    rt.followSubstation(new SubstationPrices());
    const out = await rt.clear(sessionOf(PRODUCTS.rt5, day), []);
    expect(out.result).toMatchObject({ status: 'no-iso-prices' });
    expect(String((out.result as { reason: string }).reason)).toMatch(
      /neither the substation's exchange nor the ISO/,
    );
  });
});

describe('substation prices', () => {
  it('answers for the interval starting where the exchange’s starts and covered by it, and forgets after two days', () => {
    const p = new SubstationPrices();
    const five = minutesMs(5);
    p.record({ intervalStartMs: day, intervalEndMs: day + five, usdPerKwh: 0.05, binding: null });
    expect(p.at(day, day + five)?.usdPerKwh).toBe(0.05);
    expect(p.at(day, day + 2 * five)).toBeUndefined();
    expect(p.at(day + five, day + 2 * five)).toBeUndefined();
    p.record({
      intervalStartMs: day + 3 * 24 * MS_PER_HOUR,
      intervalEndMs: day + 3 * 24 * MS_PER_HOUR + five,
      usdPerKwh: 0.07,
      binding: 'export',
    });
    expect(p.at(day, day + five)).toBeUndefined();
    expect(p.size).toBe(1);
    expect(() =>
      p.record({ intervalStartMs: day, intervalEndMs: day + five, usdPerKwh: Number.NaN, binding: null }),
    ).toThrow(/finite/);
  });
});
