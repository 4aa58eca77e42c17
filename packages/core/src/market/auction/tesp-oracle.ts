/** PNNL TESP's double-auction clearing rule, restated as a test oracle for the uniform-price call market. */

export type TespClearingType = 'null' | 'failure' | 'price' | 'exact' | 'seller' | 'buyer';

export interface TespBid {
  price: number;
  quantity: number;
}

export interface TespResult {
  type: TespClearingType;
  price: number;
  quantity: number;
}

export interface TespOptions {
  /** where the posted price of a no-trade market sits between best ask (0) and best bid (1); TESP uses 0.5 */
  clearingScalar?: number;
  /** how far past a rejected bid or ask TESP puts the price so that the bid stays out; TESP uses 1e-4 */
  bidOffset?: number;
}

/** The last step of the walk along the two curves. */
type LastStep =
  | { kind: 'buyer' | 'seller'; price: number }
  | { kind: 'both'; bid: number; ask: number }
  | undefined;

/**
 * Clears buyer and seller bids the way PNNL TESP's retail double auction does. This is an outside
 * reference for testing GridTier's uniform-price call market: TESP's clearing rule, restated
 * independently in TypeScript. It is not GridTier's rule.
 *
 * Source read: github.com/pnnl/tesp, `src/tesp_support/tesp_support/original/simple_auction.py`
 * (class `simple_auction`, method `clear_market`), the 5-minute market of the te30 and sgip1
 * examples, with its bid curves in `original/curve.py` (`curve.add_to_curve`, `ClearingType`).
 * The older copy at `src/tesp_support/tesp_support/simple_auction.py` clears the same way. TESP
 * calls it a simplified version of the double auction in GridLAB-D's market module.
 *
 * How TESP clears a market:
 *
 * - Curves. Every bid is a separate step of its curve. Bids of zero quantity are dropped. Bids at
 *   the same price are not merged. The buyer curve runs from the highest price down and the seller
 *   curve from the lowest price up. The order of equal prices does not change the price or the
 *   quantity.
 * - Intersection. TESP walks the two curves together. Demand is the quantity of the buyer steps
 *   passed so far, and supply the quantity of the seller steps passed so far. While the current
 *   buyer step's price is at least the current seller step's price, it adds both steps to those
 *   totals and compares them:
 *   demand larger: the seller step is used up, the buyer step is partly served, and the cleared
 *     quantity becomes the new supply. The next seller step comes next.
 *   supply larger: the reverse. The buyer step is used up and the seller step partly served.
 *   equal: both steps are used up at the same quantity, and both curves move on.
 *   The cleared quantity is the quantity where the walk stops. This is the efficient quantity, the
 *   same quantity GridTier's walk finds.
 * - Clearing type and price, from the last step of the walk:
 *   marginal buyer (BUYER): a buyer step was partly served. The price is that buyer's bid, on the
 *     horizontal step of the demand curve that the supply curve crosses.
 *   marginal seller (SELLER): a seller step was partly served. The price is that seller's ask.
 *   exact (EXACT): both curves stepped at the same quantity, and the last buyer's bid equals the
 *     last seller's ask. The price is that shared price.
 *   marginal price (PRICE): both curves stepped at the same quantity, so they meet on a vertical
 *     segment from the last accepted ask b up to the last accepted bid a (a > b). The price is in
 *     that segment:
 *       - if the next (rejected) bid equals a, the price is a;
 *       - else, if the next (rejected) ask equals b, the price is b;
 *       - else, take the midpoint m = (a + b) / 2. If the next bid is above m, the price is that
 *         bid plus bid_offset (1e-4), just above it so that the bid is not triggered. If the next
 *         ask is below m, the price is that ask minus bid_offset. Otherwise the price is m.
 *       So the price is m pushed just past any rejected bid or ask that lies beyond it. It is not
 *       the middle of the range of market-clearing prices.
 *   no trade (NULL): the best bid is below the best ask, or a side is empty. The quantity is 0 and
 *     TESP still posts a price: best ask + clearing_scalar·(best bid − best ask) (clearing_scalar
 *     is fixed at 0.5). With only sellers the price is best ask − bid_offset, with only buyers best
 *     bid + bid_offset, and with no bids it is 0.
 *   failure (FAILURE): the cleared quantity does not cover the unresponsive load, which bids at
 *     the price cap. The price is then ±price cap.
 *   In the source, once both curves step at the same quantity, the only remaining question is
 *   whether a equals b (EXACT) or not (PRICE). The other branches that look at exhausted sides or
 *   unequal quantities after such a step can never run.
 *
 * Outside this restatement: the unresponsive load (TESP adds it as a buyer at the price cap), the
 * substation's reference supply bid at the LMP (`max_capacity_reference_bid_quantity`), the
 * price-cap branches and FAILURE, and the marginal quantity and fraction. It is a pure double
 * auction on the bids it is given. The cap is treated as infinite, so no bid sits at it.
 * TESP's `collect_bid` also drops buyer bids priced at 0 or below. That is an input filter and not
 * part of the clearing, so it is not applied here. The clearing itself is the same for any prices.
 */
export function tespClear(
  buyers: readonly TespBid[],
  sellers: readonly TespBid[],
  options: TespOptions = {},
): TespResult {
  const scalar = options.clearingScalar ?? 0.5;
  const offset = options.bidOffset ?? 1e-4;
  const demandCurve = buyers.filter((b) => b.quantity !== 0).sort((x, y) => y.price - x.price);
  const supplyCurve = sellers.filter((s) => s.quantity !== 0).sort((x, y) => x.price - y.price);

  let i = 0;
  let j = 0;
  let demand = 0;
  let supply = 0;
  let cleared = 0;
  let last: LastStep;
  while (i < demandCurve.length && j < supplyCurve.length && demandCurve[i].price >= supplyCurve[j].price) {
    const wanted = demand + demandCurve[i].quantity;
    const offered = supply + supplyCurve[j].quantity;
    if (wanted > offered) {
      cleared = supply = offered;
      last = { kind: 'buyer', price: demandCurve[i].price };
      j++;
    } else if (wanted < offered) {
      cleared = demand = wanted;
      last = { kind: 'seller', price: supplyCurve[j].price };
      i++;
    } else {
      cleared = demand = supply = wanted;
      last = { kind: 'both', bid: demandCurve[i].price, ask: supplyCurve[j].price };
      i++;
      j++;
    }
  }

  if (last === undefined || cleared === 0) {
    const bestBid = demandCurve[0]?.price;
    const bestAsk = supplyCurve[0]?.price;
    let price = 0;
    if (bestBid !== undefined && bestAsk !== undefined) price = bestAsk + (bestBid - bestAsk) * scalar;
    else if (bestAsk !== undefined) price = bestAsk - offset;
    else if (bestBid !== undefined) price = bestBid + offset;
    return { type: 'null', price, quantity: 0 };
  }
  if (last.kind !== 'both') return { type: last.kind, price: last.price, quantity: cleared };

  const { bid: a, ask: b } = last;
  if (a === b) return { type: 'exact', price: a, quantity: cleared };
  const nextBid = demandCurve[i]?.price;
  const nextAsk = supplyCurve[j]?.price;
  const mid = (a + b) / 2;
  let price = mid;
  if (nextBid === a) price = a;
  else if (nextAsk === b) price = b;
  else if (nextBid !== undefined && mid < nextBid) price = nextBid + offset;
  else if (nextAsk !== undefined && mid > nextAsk) price = nextAsk - offset;
  return { type: 'price', price, quantity: cleared };
}
