import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { losslessFeeder, stateOf } from './test-support.js';

/** Clears an orders document on the lossless two-line feeder. */
const clear = (doc: Record<string, unknown>) =>
  clearMarket(stateOf(losslessFeeder), parseOrders(doc), solver);

/** A gas turbine at b2: 300–800 kW, 50 $/MWh at minimum output, one 60 $/MWh step. */
const turbine = (extra: Record<string, unknown> = {}) => ({
  id: 'gt',
  type: 'generator',
  participant: 'gen',
  bus: 'b2',
  pMinKw: 300,
  pMaxKw: 800,
  minimumPrice: 50,
  steps: [{ price: 60, quantityKw: 500 }],
  ...extra,
});

/**
 * What the turbine({ startupCost: 40, noLoadCostPerHour: 5 }) is owed: its as-offered cost
 * (start-up, no-load, minimum output at its price, the step) beyond its revenue at its own price.
 */
function upliftDueUsd(r: Awaited<ReturnType<typeof clear>>): number {
  const on = r.commitments[0].on;
  const kw = r.schedules[0].kw;
  const h = r.intervalHours;
  let costUsd = 0;
  let revenueUsd = 0;
  on.forEach((u, t) => {
    if (!u) return;
    const startUsd = t === 0 || !on[t - 1] ? 40 : 0;
    costUsd += startUsd + 5 * h + ((300 * 50 + (kw[t] - 300) * 60) * h) / 1000;
    const atB2 = r.dlmp.filter((d) => d.interval === t && d.bus === 'b2');
    revenueUsd += (kw[t] * h * atB2.reduce((a, d) => a + d.total, 0)) / atB2.length / 1000;
  });
  return Math.max(0, costUsd - revenueUsd);
}

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

describe('unit commitment', () => {
  it('commits a three-part offer only where it pays, prices from the LP with commitments fixed, makes it whole', async () => {
    const r = await clear({
      market: 'dam',
      intervals: 4,
      isoPrices: [20, 90, 90, 20],
      orders: [turbine({ startupCost: 40, noLoadCostPerHour: 5 })],
    });
    expect(r.status).toBe('optimal');
    expect(r.commitments[0].on).toEqual([0, 1, 1, 0]);
    const out = r.schedules[0].kw;
    expect(out[1]).toBeCloseTo(800, 3);
    expect(out[0]).toBeCloseTo(0, 6);
    // with the unit committed and not marginal the ISO sets the price
    const price = r.dlmp.find((d) => d.interval === 1)!.total;
    expect(price).toBeCloseTo(90, 3);
    const settle = r.settlement.find((l) => l.participant === 'gen')!;
    expect(settle.upliftUsd).toBeCloseTo(upliftDueUsd(r), 6);
  });

  it('makes a unit whole that must run at its minimum behind an import limit', async () => {
    // 1000 kW of load, 700 kW of import: the turbine runs at its 300 kW minimum and its unused
    // step sets the price, which does not cover its start-up and no-load costs
    const r = await clear({
      market: 'dam',
      intervals: 2,
      isoPrices: [20, 20],
      importLimitKw: 700,
      orders: [turbine({ startupCost: 40, noLoadCostPerHour: 5 })],
    });
    expect(r.commitments[0].on).toEqual([1, 1]);
    expect(r.schedules[0].kw[0]).toBeCloseTo(300, 3);
    const due = upliftDueUsd(r);
    expect(due).toBeGreaterThan(1);
    expect(r.settlement.find((l) => l.participant === 'gen')!.upliftUsd).toBeCloseTo(due, 6);
  });

  it('keeps a unit on for its minimum up time and within its ramp', async () => {
    const r = await clear({
      market: 'dam',
      intervals: 5,
      isoPrices: [20, 90, 20, 90, 20],
      orders: [
        turbine({
          pMinKw: 200,
          pMaxKw: 600,
          minimumPrice: 40,
          steps: [{ price: 45, quantityKw: 400 }],
          minUpHours: 3,
          rampUpKwPerHour: 250,
          rampDownKwPerHour: 250,
        }),
      ],
    });
    const on = r.commitments[0].on;
    const first = on.indexOf(1);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(on.slice(first, first + 3)).toEqual([1, 1, 1]);
    const kw = r.schedules[0].kw;
    for (let t = 1; t < kw.length; t++) {
      if (on[t] && on[t - 1]) expect(Math.abs(kw[t] - kw[t - 1])).toBeLessThanOrEqual(250 + 1e-6);
    }
  });
});

describe('real time after day ahead', () => {
  it('holds the day-ahead commitment and settles only the deviation at the real-time price', async () => {
    const r = await clear({
      market: 'rtm',
      isoPrices: [20],
      dayAhead: { schedulesKw: { gt: 500 }, commitments: { gt: 1 } },
      orders: [turbine()],
    });
    // cheap imports: the unit stays on (committed) at its minimum only
    expect(r.commitments[0].on).toEqual([1]);
    expect(r.schedules[0].kw[0]).toBeCloseTo(300, 3);
    const price = r.dlmp.find((d) => d.bus === 'b2')!.total;
    const settle = r.settlement.find((l) => l.participant === 'gen')!;
    expect(settle.energyUsd).toBeCloseTo(((300 - 500) * r.intervalHours * price) / 1000, 6);
  });

  it('limits an offer to its daily energy', async () => {
    const r = await clear({
      market: 'dam',
      intervals: 3,
      isoPrices: [80, 80, 80],
      orders: [
        {
          id: 'hydro',
          type: 'offer',
          participant: 'h',
          bus: 'b1',
          steps: [{ price: 10, quantityKw: 500 }],
          maxDailyEnergyKwh: 900,
        },
      ],
    });
    const total = r.schedules[0].kw.reduce((a, x) => a + x, 0);
    expect(total).toBeCloseTo(900, 3);
  });
});

describe('block orders', () => {
  const block = fc.record({
    side: fc.constantFrom('sell', 'buy'),
    price: fc.integer({ min: 5, max: 120 }),
    kw: fc.integer({ min: 50, max: 400 }),
    first: fc.integer({ min: 0, max: 2 }),
    length: fc.integer({ min: 1, max: 2 }),
    ratio: fc.constantFrom(1, 0.5, 0.25),
    parent: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    group: fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined }),
  });

  it('respect acceptance ratios, parent links and exclusive groups on random order sets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(block, { minLength: 2, maxLength: 6 }), async (blocks) => {
        const orders = blocks.map((b, i) => ({
          id: `k${i}`,
          type: 'block',
          participant: `p${i}`,
          bus: i % 2 ? 'b1' : 'b2',
          side: b.side,
          price: b.price,
          profileKw: Array(b.length).fill(b.kw),
          firstInterval: b.first,
          minAcceptanceRatio: b.ratio,
          parent: b.parent !== undefined && b.parent < i ? `k${b.parent}` : undefined,
          exclusiveGroup: b.group,
        }));
        const r = await clear({ market: 'dam', intervals: 4, isoPrices: [30, 60, 45, 80], orders });
        const accepted = new Map<string, number>();
        for (const o of orders) {
          const s = r.schedules.find((x) => x.id === o.id)!;
          const planned = o.profileKw[0];
          const got = Math.abs(s.kw[o.firstInterval]);
          const ratio = got / planned;
          accepted.set(o.id, ratio);
          // nothing, or at least the minimum acceptance ratio, and one ratio across the profile
          expect(ratio < 1e-6 || ratio >= o.minAcceptanceRatio - 1e-6).toBe(true);
          s.kw.forEach((kw, t) => {
            if (t >= o.firstInterval && t < o.firstInterval + o.profileKw.length)
              expect(Math.abs(kw)).toBeCloseTo(ratio * planned, 6);
          });
        }
        for (const o of orders) {
          if (o.parent && (accepted.get(o.id) ?? 0) > 1e-6)
            expect(accepted.get(o.parent)!).toBeGreaterThan(1e-6);
        }
        for (const g of ['g1', 'g2']) {
          const inGroup = orders.filter((o) => o.exclusiveGroup === g && (accepted.get(o.id) ?? 0) > 1e-6);
          expect(inGroup.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 25, seed: 20261122 },
    );
  });
});
