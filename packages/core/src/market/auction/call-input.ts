import { InvalidValueError } from '../../errors/index.js';
import type { LimitOrder, Trade, TradeOrder } from '../orders/index.js';
import { applyGridRules } from './grid.js';
import type { CallResult, GridRules } from './types.js';

/**
 * The orders a call market can take: limit orders only (a call market needs every price).
 * Market orders are a programming error here; the parser rejects them for call markets.
 */
export function limitOrders(orders: readonly TradeOrder[]): LimitOrder[] {
  for (const o of orders) {
    if (o.price === undefined)
      throw new InvalidValueError(`order ${o.id}: a call market takes limit orders only`, {
        details: { order: o.id },
      });
  }
  return orders as LimitOrder[];
}

export function totalQuantity(trades: readonly { quantity: number }[]): number {
  let q = 0;
  for (const t of trades) q += t.quantity;
  return q;
}

/**
 * A mechanism's result from its trades: the grid rules applied, the volume of what is left, and
 * the operator's surplus when buyers pay `spreadPerUnit` more than sellers receive.
 */
export function callResult(
  mechanism: CallResult['mechanism'],
  orders: readonly LimitOrder[],
  trades: Trade[],
  rules: GridRules | undefined,
  clearingPrice: number | null = null,
  spreadPerUnit = 0,
): CallResult {
  const grid = applyGridRules(trades, orders, rules);
  const volume = totalQuantity(grid.trades);
  return {
    mechanism,
    clearingPrice,
    trades: grid.trades,
    volume,
    operatorSurplus: spreadPerUnit * volume,
    refused: grid.refused,
  };
}
