/**
 * Loyalty rewards: a seller earns `perKwh` tokens for each verified kWh it delivered, and after
 * every interval each holder burns the fraction `burnRate` of its balance (rounded down). With
 * mints per interval at most M, supply follows S' = (1 − β)·S + M and stays below M/β: supply
 * growth is bounded however long the market runs, and idle balances decay.
 */
export interface LoyaltyRule {
  perKwh: number;
  burnRate: number;
}

export const DEFAULT_LOYALTY: LoyaltyRule = { perKwh: 10, burnRate: 0.01 };

export function loyaltyEarned(deliveredWh: number, rule: LoyaltyRule): number {
  return Math.floor((deliveredWh * rule.perKwh) / 1000);
}

export function loyaltyBurned(balance: number, rule: LoyaltyRule): number {
  return Math.floor(balance * rule.burnRate);
}
