import { InvalidValueError } from '../../errors/index.js';
import type { TradeOrder } from '../orders/index.js';
import { callResult, limitOrders } from './call-input.js';
import { prioritized } from './priority.js';
import type { CallResult, GridRules } from './types.js';
import { tradesOf, walkCurves } from './walk.js';

export interface UniformOptions {
  /** where in the range of clearing prices the price falls: 0 its bottom, 1 its top */
  k?: number;
  grid?: GridRules;
}

/**
 * Uniform-price call market (pay-as-clear) with k-pricing. The efficient set of trades is found
 * by matching the best bid with the best ask while bid ≥ ask (priority: price, then time, then
 * input position; the order next in priority takes a partial fill). Every trade then clears at
 * one price p = lo + k·(hi − lo) in the range of prices that support that set:
 *   hi = min(lowest accepted bid, ask of the first sell order not completely matched),
 *   lo = max(highest accepted ask, bid of the first buy order not completely matched);
 * a partly matched order pins the range to its own price. k = 0.5 by default.
 */
export function uniformPrice(input: readonly TradeOrder[], options: UniformOptions = {}): CallResult {
  const k = options.k ?? 0.5;
  if (!(k >= 0 && k <= 1)) throw new InvalidValueError(`k: must be within [0, 1], got ${k}`);
  const orders = limitOrders(input);
  const buys = prioritized(orders, 'buy');
  const sells = prioritized(orders, 'sell');
  const w = walkCurves(orders, buys, sells);
  const m = w.matches;
  if (m.count === 0) return callResult('uniform', orders, [], undefined);
  const lastBuy = m.buy[m.count - 1];
  const lastSell = m.sell[m.count - 1];
  const priceAt = (list: Uint32Array, pos: number, missing: number) =>
    pos < list.length ? orders[list[pos]].price : missing;
  const hi = Math.min(orders[lastBuy].price, priceAt(sells, w.nextSell, Number.POSITIVE_INFINITY));
  const lo = Math.max(orders[lastSell].price, priceAt(buys, w.nextBuy, Number.NEGATIVE_INFINITY));
  const price = lo + k * (hi - lo);
  return callResult(
    'uniform',
    orders,
    tradesOf(orders, m, () => price),
    options.grid,
    price,
  );
}
