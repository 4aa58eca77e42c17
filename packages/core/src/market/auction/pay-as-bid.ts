import type { TradeOrder } from '../orders/index.js';
import { callResult, limitOrders } from './call-input.js';
import { prioritized } from './priority.js';
import type { CallResult, GridRules } from './types.js';
import { tradesOf, walkCurves } from './walk.js';

export interface PayAsBidOptions {
  /**
   * The price of a matched pair: the buyer's bid ('bid', as two-sided pay-as-bid markets of
   * the peer-to-peer platforms settle), the seller's ask ('ask'), or their midpoint.
   */
  pricing?: 'bid' | 'ask' | 'midpoint';
  grid?: GridRules;
}

/**
 * Pay-as-bid call market: the same efficient set of trades as the uniform-price market (best
 * bid with best ask while bid ≥ ask, same priority rule), each pair settled at its own price.
 */
export function payAsBid(input: readonly TradeOrder[], options: PayAsBidOptions = {}): CallResult {
  const pricing = options.pricing ?? 'bid';
  const orders = limitOrders(input);
  const w = walkCurves(orders, prioritized(orders, 'buy'), prioritized(orders, 'sell'));
  const trades = tradesOf(orders, w.matches, (b, s) => {
    const bid = orders[b].price;
    const ask = orders[s].price;
    return pricing === 'bid' ? bid : pricing === 'ask' ? ask : (bid + ask) / 2;
  });
  return callResult('pab', orders, trades, options.grid);
}
