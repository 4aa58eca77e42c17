import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FeederOrder, feederCurve, orderAcceptance } from './feeder-curve.js';
import { clearSubstation } from './substation-exchange.js';

const o = (id: string, side: 'buy' | 'sell', kw: number, usdPerKwh: number): FeederOrder => ({
  id,
  side,
  kw,
  usdPerKwh,
});

describe('a feeder’s curve from its market’s orders', () => {
  it('sums the orders per side and price', () => {
    expect(
      feederCurve([
        o('a', 'buy', 10, 0.2),
        o('b', 'buy', 5, 0.2),
        o('c', 'sell', 7, 0.2),
        o('d', 'buy', 1, 0.1),
      ]),
    ).toEqual([
      { id: 'buy@0.2', side: 'buy', kw: 15, usdPerKwh: 0.2 },
      { id: 'sell@0.2', side: 'sell', kw: 7, usdPerKwh: 0.2 },
      { id: 'buy@0.1', side: 'buy', kw: 1, usdPerKwh: 0.1 },
    ]);
  });

  it('gives each order what clearing the orders themselves would, for any orders', () => {
    const arb = fc.array(
      fc.record({
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        kw: fc.integer({ min: 1, max: 100 }),
        cents: fc.integer({ min: 5, max: 12 }),
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 150 }), (raw, limit) => {
        const orders = raw.map((r, i) => o(`o${i}`, r.side, r.kw, r.cents / 100));
        const input = { isoUsdPerKwh: 0.08, transformerKw: limit, intervalH: 1 };
        const byLevel = clearSubstation({
          ...input,
          steps: feederCurve(orders).map((s) => ({ ...s, feeder: 'f' })),
        });
        const byOrder = clearSubstation({ ...input, steps: orders.map((x) => ({ ...x, feeder: 'f' })) });
        expect(byLevel.usdPerKwh).toBe(byOrder.usdPerKwh);
        const shares = orderAcceptance(orders, byLevel.fills);
        const direct = new Map(byOrder.fills.map((f) => [f.id, f.kw]));
        for (const x of orders) expect(shares.get(x.id)).toBeCloseTo(direct.get(x.id) ?? 0, 9);
      }),
      { numRuns: 300 },
    );
  });
});
