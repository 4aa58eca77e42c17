import type { Trade, TradeOrder } from '../orders/index.js';

/**
 * What the book does when an incoming order would trade with a resting order of the same
 * owner: cancel the resting one and go on matching (the default, as most exchanges do, so a
 * participant's latest instruction wins), cancel the rest of the incoming one, or both.
 */
export type SelfTradePolicy = 'cancel-resting' | 'cancel-incoming' | 'cancel-both';

export const selfTradePolicies: readonly SelfTradePolicy[] = [
  'cancel-resting',
  'cancel-incoming',
  'cancel-both',
];

export interface OrderBookOptions {
  /** default 'cancel-resting' */
  selfTrade?: SelfTradePolicy;
  /**
   * The grid's say on a match: the reason it cannot take a trade of `quantity` between the two
   * orders (e.g. a feeder limit between their buses), or undefined to let it happen. A refused
   * match ends the incoming order's matching there, as its limit price would: the resting order
   * keeps its place and the incoming remainder rests or is cancelled by its time in force.
   */
  refuse?: (buy: TradeOrder, sell: TradeOrder, price: number, quantity: number) => string | undefined;
}

/** A new limit and/or open quantity for a resting order. */
export interface OrderChange {
  price?: number;
  /** the new open (unfilled) quantity, not counting what has already traded */
  quantity?: number;
}

/** Why a resting order left the book other than by trading or by its owner's cancel. */
export type RemovalReason = 'self-trade' | 'expired';

export interface RemovedOrder {
  /** the order as it rested: its last price, and `quantity` the open quantity removed */
  order: TradeOrder;
  reason: RemovalReason;
}

/**
 * The outcome of `submit` or `replace`. For an accepted call the order's quantity (for a
 * replace, its new open quantity) is accounted for exactly: traded (the sum of `trades`) +
 * `restingQuantity` + `cancelledQuantity`. A rejected call changed nothing.
 */
export interface SubmitResult {
  id: string;
  accepted: boolean;
  /** why the call was rejected */
  reason?: string;
  /** in execution order; each at the resting order's price */
  trades: readonly Trade[];
  /** what now rests in the book */
  restingQuantity: number;
  /** what was dropped: IOC and market remainders, a killed FOK, a self-trade cancel */
  cancelledQuantity: number;
  /** other orders this call took off the book: self-trade prevention and GTD orders due by `now` */
  removed: readonly RemovedOrder[];
  /** why the grid stopped the matching, if it did */
  refused?: string;
}

/** One price level of the book as `depth` reports it. */
export interface DepthLevel {
  price: number;
  quantity: number;
}
