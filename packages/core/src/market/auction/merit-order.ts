import type { LimitOrder, Trade, TradeOrder } from '../orders/index.js';
import { callResult, limitOrders } from './call-input.js';
import { prioritized } from './priority.js';
import type { CallResult, GridRules } from './types.js';

/**
 * The merit-order matching of Liu and Small's microgrid market ("forward contracts in a
 * microgrid", section Equilibrium Price): a consumer buys from the cheapest offers it accepts
 * (ask ≤ its bid), each at the offer's price, until its demand is met or no acceptable offer is
 * left; offers dearer than every bid are ignored.
 *
 * The seed leaves open what happens when two consumers bid different prices. The rule here:
 * consumers are served in order of their bids, highest first (then time, then input position),
 * and every consumer pays the offers' prices, never its own bid. A higher bid buys priority to
 * the cheap offers, not a higher price; a consumer whose bid is below the remaining offers buys
 * nothing. With one consumer this is exactly the seed's procedure.
 */
export function meritOrder(input: readonly TradeOrder[], options: { grid?: GridRules } = {}): CallResult {
  const orders = limitOrders(input);
  return callResult('merit', orders, matchMeritOrder(orders).trades, options.grid);
}

/** The trades and what each order has left unmatched (by input index). */
export function matchMeritOrder(orders: readonly LimitOrder[]): { trades: Trade[]; left: Float64Array } {
  const buys = prioritized(orders, 'buy');
  const sells = prioritized(orders, 'sell');
  const left = Float64Array.from({ length: orders.length });
  for (let i = 0; i < orders.length; i++) left[i] = orders[i].quantity;
  const trades: Trade[] = [];
  // offers stay sorted by price; the cheapest with quantity left is the first one not used up
  let firstOpen = 0;
  for (const b of buys) {
    const buy = orders[b];
    let want = buy.quantity;
    for (let j = firstOpen; j < sells.length && want > 0; j++) {
      const s = sells[j];
      const sell = orders[s];
      if (sell.price > buy.price) break;
      if (left[s] <= 0) continue;
      const q = Math.min(want, left[s]);
      trades.push({ buyOrderId: buy.id, sellOrderId: sell.id, price: sell.price, quantity: q });
      want -= q;
      left[s] -= q;
    }
    left[b] = want;
    while (firstOpen < sells.length && left[sells[firstOpen]] <= 0) firstOpen++;
  }
  return { trades, left };
}

/** One microgrid's orders for the two-level merit order. */
export interface MicrogridOrders {
  id: string;
  orders: TradeOrder[];
}

/**
 * The seed's hierarchy, "from individual to one microgrid, then from one microgrid to two
 * microgrids": each microgrid first matches its own orders by merit order; what is left of
 * every microgrid's orders then meets in one merit-order market between the microgrids.
 */
export function meritOrderHierarchy(microgrids: readonly MicrogridOrders[]): {
  local: { microgrid: string; result: CallResult }[];
  between: CallResult;
} {
  const local: { microgrid: string; result: CallResult }[] = [];
  const residual: LimitOrder[] = [];
  for (const mg of microgrids) {
    const orders = limitOrders(mg.orders);
    const { trades, left } = matchMeritOrder(orders);
    local.push({ microgrid: mg.id, result: callResult('merit', orders, trades, undefined) });
    orders.forEach((o, i) => {
      if (left[i] > 1e-12) residual.push({ ...o, quantity: left[i] });
    });
  }
  return { local, between: meritOrder(residual) };
}
