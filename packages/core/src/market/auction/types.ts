import type { LimitOrder, Trade } from '../orders/index.js';

/** What every call mechanism returns. */
export interface CallResult {
  mechanism: 'uniform' | 'pab' | 'mda' | 'merit' | 'cda';
  /** the one price of a uniform-price market; null where the mechanism has none */
  clearingPrice: number | null;
  trades: Trade[];
  /** total traded quantity */
  volume: number;
  /** what buyers pay less what sellers receive: zero for a budget-balanced mechanism */
  operatorSurplus: number;
  /** trades the grid refused, with the reason (see GridRules) */
  refused: { trade: Trade; reason: string }[];
}

/** Optional grid awareness of a call market: each trade is between the two orders' buses. */
export interface GridRules {
  /**
   * A network charge per unit (same money unit as prices) and a loss factor (fraction of the
   * sold energy lost on the way) for a trade from the seller's bus to the buyer's bus, e.g. from
   * the power flow's loss sensitivities. The buyer pays the charge on top of the price; the seller
   * delivers quantity / (1 − lossFactor) for the buyer to receive `quantity`.
   */
  tariff?: (
    sellerBus: string | undefined,
    buyerBus: string | undefined,
  ) => { charge: number; lossFactor: number };
  /** refuses a trade that would break a feeder limit; returns the reason, or undefined to accept */
  refuse?: (trade: Trade, buy: LimitOrder, sell: LimitOrder) => string | undefined;
}
