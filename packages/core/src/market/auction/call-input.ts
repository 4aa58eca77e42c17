import type { LimitOrder, TradeOrder } from '../orders/index.js';

/**
 * The orders a call market can take: limit orders only (a call market needs every price).
 * Market orders are a programming error here; the parser rejects them for call markets.
 */
export function limitOrders(orders: readonly TradeOrder[]): LimitOrder[] {
  for (const o of orders) {
    if (o.price === undefined) throw new TypeError(`order ${o.id}: a call market takes limit orders only`);
  }
  return orders as LimitOrder[];
}

export function indexById(orders: readonly LimitOrder[]): Map<string, LimitOrder> {
  return new Map(orders.map((o) => [o.id, o]));
}

export function totalQuantity(trades: readonly { quantity: number }[]): number {
  let q = 0;
  for (const t of trades) q += t.quantity;
  return q;
}
