import type { LimitOrder, Trade, TradeOrder } from '../orders/index.js';
import { callResult, limitOrders } from './call-input.js';
import { prioritized } from './priority.js';
import type { CallResult, GridRules } from './types.js';
import { tradesOf, walkCurves } from './walk.js';

/**
 * The strategy-proof multi-unit double auction (MDA) of P. Huang, A. Scheller-Wolf and
 * K. Sycara, "A strategy-proof multiunit double auction mechanism", AAMAS 2002, pp. 166–167
 * (long version: "Design of a multi-unit double auction e-market", Computational Intelligence
 * 18(4), 2002).
 *
 * Buyers are ranked by descending bid, sellers by ascending ask (ties: time, then input
 * position). The efficient trades are found as in a call market; the buyer K and the seller L
 * of the last efficient unit are the marginal pair. The mechanism then
 * - excludes buyer K and seller L from trading (the trade reduction): no one who trades can set
 *   the price, so no one gains by misreporting it, which is what makes the MDA strategy-proof
 *   with respect to prices, at the cost of the marginal pair's gains from trade;
 * - lets the buyers ranked before K buy at p_b = b_K and the sellers ranked before L sell at
 *   p_s = s_L; since b_K ≥ s_L every buyer pays at most its bid, every seller receives at least
 *   its ask (individual rationality) and the operator keeps (p_b − p_s) per unit (weak budget
 *   balance);
 * - balances the two sides, whose totals rarely agree, by rationing the longer side: each of
 *   its traders gives up the same quantity, and one who has less than that share gives up all
 *   of it and the others share the rest equally (the paper's equal-decrement rule). The cut
 *   depends only on quantities, never on prices, so it does not break strategy-proofness.
 */
export function mda(input: readonly TradeOrder[], options: { grid?: GridRules } = {}): CallResult {
  const orders = limitOrders(input);
  const buys = prioritized(orders, 'buy');
  const sells = prioritized(orders, 'sell');
  // only where the efficient walk ends matters here: the marginal pair
  const w = walkCurves(orders, buys, sells, undefined, true, false);
  const none = callResult('mda', orders, [], undefined);
  if (w.matches.count === 0) return none;
  const K = w.nextBuyPartial ? w.nextBuy : w.nextBuy - 1;
  const L = w.nextSellPartial ? w.nextSell : w.nextSell - 1;
  if (K === 0 || L === 0) return none;
  const buyerPrice = orders[buys[K]].price;
  const sellerPrice = orders[sells[L]].price;
  const buyQ = quantities(orders, buys.subarray(0, K));
  const sellQ = quantities(orders, sells.subarray(0, L));
  const target = Math.min(sum(buyQ), sum(sellQ));
  const alloc = new Float64Array(orders.length);
  const set = (list: Uint32Array, q: Float64Array) => {
    for (let p = 0; p < q.length; p++) alloc[list[p]] = q[p];
  };
  set(buys, equalDecrement(buyQ, target));
  set(sells, equalDecrement(sellQ, target));
  const pairs = walkCurves(orders, buys.subarray(0, K), sells.subarray(0, L), alloc, false);
  const trades: Trade[] = tradesOf(orders, pairs.matches, () => buyerPrice);
  for (const t of trades) {
    t.buyerPrice = buyerPrice;
    t.sellerPrice = sellerPrice;
  }
  return callResult('mda', orders, trades, options.grid, null, buyerPrice - sellerPrice);
}

function sum(xs: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i];
  return total;
}

function quantities(orders: readonly LimitOrder[], list: Uint32Array): Float64Array {
  const q = new Float64Array(list.length);
  for (let p = 0; p < list.length; p++) q[p] = orders[list[p]].quantity;
  return q;
}

/**
 * Cuts quantities down to a total by taking the same amount d from each, where nobody can give
 * more than it has: Σ max(0, q_i − d) = total. Quantities already at or under the total are kept.
 */
export function equalDecrement(quantities: ArrayLike<number>, total: number): Float64Array {
  const out = Float64Array.from(quantities);
  const have = sum(out);
  if (have <= total) return out;
  const ascending = Float64Array.from(quantities).sort();
  let remaining = ascending.length;
  let rest = have;
  let d = (rest - total) / remaining;
  for (const q of ascending) {
    if (q >= d) break;
    // this one gives up all it has; the others share what is left of the cut
    rest -= q;
    remaining--;
    d = (rest - total) / remaining;
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, out[i] - d);
  return out;
}
