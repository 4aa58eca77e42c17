/**
 * Loyalty rewards: a seller earns `perKwh` tokens for each verified kWh it delivered (rounded
 * down per trade), and after every interval each holder burns `burnBps` basis points of its
 * balance (rounded down). With mints per interval at most M and burn share β = burnBps / 10⁴,
 * supply follows S' = (1 − β)·S + M and stays below M/β: supply growth is bounded however long
 * the market runs, and idle balances decay. Integers throughout, so a contract computes the same.
 */
export interface LoyaltyRule {
  perKwh: number;
  burnBps: number;
}

export const DEFAULT_LOYALTY: LoyaltyRule = { perKwh: 10, burnBps: 100 };

export function loyaltyEarned(deliveredWh: number, rule: LoyaltyRule): number {
  return Math.floor((deliveredWh * rule.perKwh) / 1000);
}

export function loyaltyBurned(balance: number, rule: LoyaltyRule): number {
  return Math.floor((balance * rule.burnBps) / 10_000);
}
