import fc from 'fast-check';
import type { LimitOrder } from '../orders/index.js';

/** Shorthand for a limit order in tests: [id, side, price, quantity]. */
export function order(id: string, side: 'buy' | 'sell', price: number, quantity: number): LimitOrder {
  return { id, side, type: 'limit', price, quantity, timeInForce: 'GTC' };
}

/** Random order sets with prices on a coarse grid, so that ties happen often. */
export const orderSets = (max = 30) =>
  fc
    .array(
      fc.record({
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        price: fc.integer({ min: 1, max: 40 }).map((p) => p / 2),
        quantity: fc.integer({ min: 1, max: 20 }),
        time: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      }),
      { maxLength: max },
    )
    .map((xs) => xs.map((x, i): LimitOrder => ({ id: `o${i}`, type: 'limit', timeInForce: 'GTC', ...x })));
