import type { LimitOrder } from '../orders/index.js';

/** Matched quantities: the k-th match is between order buy[k] and order sell[k] (input indices). */
export interface Matches {
  count: number;
  buy: Uint32Array;
  sell: Uint32Array;
  quantity: Float64Array;
}

export interface Walk {
  matches: Matches;
  /** positions (in the priority lists) of the first buy and sell not completely matched */
  nextBuy: number;
  nextSell: number;
  /** whether those two were partly matched */
  nextBuyPartial: boolean;
  nextSellPartial: boolean;
}

/** Relative size below which a remaining quantity counts as used up. */
const DUST = 1e-9;

/**
 * Matches the best remaining bid with the best remaining ask while the bid is at least the
 * ask: the efficient, welfare-maximizing set of trades of a call market. Quantities are read
 * from `quantity` by input index when given, so a mechanism can walk reduced quantities; with
 * `stopAtPrice` false the walk just pairs the two lists up; without `recordMatches` it only
 * counts them and finds where it stopped.
 */
export function walkCurves(
  orders: readonly LimitOrder[],
  buys: Uint32Array,
  sells: Uint32Array,
  quantity?: Float64Array,
  stopAtPrice = true,
  recordMatches = true,
): Walk {
  const nb = buys.length;
  const ns = sells.length;
  // prices and quantities in priority order, read once from the order objects
  const [bidPrice, bidQ] = inOrder(orders, buys, quantity);
  const [askPrice, askQ] = inOrder(orders, sells, quantity);
  const cap = recordMatches ? Math.max(0, nb + ns - 1) : 0;
  const m: Matches = {
    count: 0,
    buy: new Uint32Array(cap),
    sell: new Uint32Array(cap),
    quantity: new Float64Array(cap),
  };
  let i = 0;
  let j = 0;
  let remBuy = nb > 0 ? bidQ[0] : 0;
  let remSell = ns > 0 ? askQ[0] : 0;
  let partialBuy = false;
  let partialSell = false;
  while (i < nb && j < ns) {
    if (stopAtPrice && bidPrice[i] < askPrice[j]) break;
    const q = remBuy < remSell ? remBuy : remSell;
    if (q > 0 && recordMatches) {
      const k = m.count++;
      m.buy[k] = buys[i];
      m.sell[k] = sells[j];
      m.quantity[k] = q;
    }
    remBuy -= q;
    remSell -= q;
    // what floating point leaves of a quantity (0.1 + 0.2 against 0.3) is not a partial fill
    if (remBuy <= DUST * bidQ[i]) remBuy = 0;
    if (remSell <= DUST * askQ[j]) remSell = 0;
    if (q > 0 && !recordMatches) m.count++;
    partialBuy = remBuy > 0;
    partialSell = remSell > 0;
    if (remBuy <= 0) {
      i++;
      remBuy = i < nb ? bidQ[i] : 0;
      partialBuy = false;
    }
    if (remSell <= 0) {
      j++;
      remSell = j < ns ? askQ[j] : 0;
      partialSell = false;
    }
  }
  return { matches: m, nextBuy: i, nextSell: j, nextBuyPartial: partialBuy, nextSellPartial: partialSell };
}

/** Prices and quantities of the listed orders, in list order (a plain loop: TypedArray.from with a map is slow). */
function inOrder(
  orders: readonly LimitOrder[],
  list: Uint32Array,
  quantity: Float64Array | undefined,
): [Float64Array, Float64Array] {
  const price = new Float64Array(list.length);
  const q = new Float64Array(list.length);
  for (let p = 0; p < list.length; p++) {
    const o = orders[list[p]];
    price[p] = o.price;
    q[p] = quantity ? quantity[list[p]] : o.quantity;
  }
  return [price, q];
}

/** The matches as trades, each at the price the mechanism sets for it. */
export function tradesOf(
  orders: readonly LimitOrder[],
  m: Matches,
  price: (buy: number, sell: number) => number,
): { buyOrderId: string; sellOrderId: string; price: number; quantity: number }[] {
  const trades = new Array(m.count);
  for (let k = 0; k < m.count; k++) {
    trades[k] = {
      buyOrderId: orders[m.buy[k]].id,
      sellOrderId: orders[m.sell[k]].id,
      price: price(m.buy[k], m.sell[k]),
      quantity: m.quantity[k],
    };
  }
  return trades;
}
