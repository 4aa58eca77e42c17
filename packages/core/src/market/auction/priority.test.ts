import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitOrder } from '../orders/index.js';
import { prioritized } from './priority.js';

/** The priority rule written as a plain comparison, to check the radix sort against. */
function byComparison(orders: LimitOrder[], side: 'buy' | 'sell'): number[] {
  const time = (o: LimitOrder) => o.time ?? Number.POSITIVE_INFINITY;
  return orders
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.side === side)
    .sort(
      (a, b) =>
        (side === 'buy' ? b.o.price - a.o.price : a.o.price - b.o.price) ||
        time(a.o) - time(b.o) ||
        a.i - b.i,
    )
    .map(({ i }) => i);
}

describe('priority order', () => {
  it('equals price, then time, then input position, for any finite prices and times', () => {
    const price = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0, -0, 1e-300, 5e-324, 123.456),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
            price,
            time: fc.option(
              fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1e9, noNaN: true })),
              {
                nil: undefined,
              },
            ),
          }),
          { maxLength: 3000 },
        ),
        (xs) => {
          const orders = xs.map(
            (x, i): LimitOrder => ({ id: `o${i}`, type: 'limit', timeInForce: 'GTC', quantity: 1, ...x }),
          );
          for (const side of ['buy', 'sell'] as const)
            expect([...prioritized(orders, side)]).toEqual(byComparison(orders, side));
        },
      ),
      { numRuns: 60 },
    );
  });
});
