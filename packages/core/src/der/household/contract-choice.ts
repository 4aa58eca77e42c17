import { type Contract, chooseContract, type Delivery, settleContract } from '../../contracts/index.js';
import type { Prng } from '../../random/index.js';

export const CONTRACT_POLICIES = ['spot', 'forward', 'option', 'chosen'] as const;
export type ContractPolicy = (typeof CONTRACT_POLICIES)[number];

/** One hour's energy purchase as known when contracts are signed, and as it happens. */
export interface HourPurchase {
  /** the deficit the household planned for the hour, kWh */
  plannedKwh: number;
  /** the energy it actually imported, kWh */
  meteredKwh: number;
  /** the day-ahead price, on which the seller prices its contracts, $/kWh */
  dayAheadUsdPerKwh: number;
  /** the household's own expectation of the spot price when it signs, $/kWh */
  expectedSpotUsdPerKwh: number;
  /** the spread of the spot price about either expectation, $/kWh */
  spotStdUsdPerKwh: number;
  /** the spread of the metered energy about the plan, kWh */
  meteredStdKwh: number;
  /** the spot price at delivery, $/kWh */
  spotUsdPerKwh: number;
}

export interface ContractTerms {
  /** the seller's margin on the forward price, $/kWh */
  forwardPremiumUsdPerKwh: number;
  /** the option's strike above the day-ahead price, $/kWh */
  strikeAboveUsdPerKwh: number;
  /** the seller's markup on the option's expected payoff */
  optionMarkup: number;
  scenarios: number;
}

export const DEFAULT_TERMS: ContractTerms = {
  forwardPremiumUsdPerKwh: 0.001,
  strikeAboveUsdPerKwh: 0.01,
  optionMarkup: 1.1,
  scenarios: 16,
};

function scenarios(p: HourPurchase, centreUsdPerKwh: number, n: number, r: Prng): Delivery[] {
  return Array.from({ length: n }, () => ({
    spotUsdPerKwh: centreUsdPerKwh + p.spotStdUsdPerKwh * r.normal(),
    meteredKwh: Math.max(0, p.plannedKwh + p.meteredStdKwh * r.normal()),
  }));
}

/**
 * The offers for one hour (liu-small's spot, forward and option): the seller prices them on the
 * day-ahead price — a forward at it plus a margin, an option at its expected payoff marked up —
 * while the household chooses on its own, later expectation of the spot price.
 */
export function offersFor(p: HourPurchase, terms: ContractTerms, r: Prng, id: string): Contract[] {
  const strike = p.dayAheadUsdPerKwh + terms.strikeAboveUsdPerKwh;
  const sellerView = scenarios(p, p.dayAheadUsdPerKwh, terms.scenarios, r);
  const payoff =
    sellerView.reduce(
      (a, d) => a + Math.max(0, d.spotUsdPerKwh - strike) * Math.min(p.plannedKwh, d.meteredKwh),
      0,
    ) / sellerView.length;
  return [
    { kind: 'spot', id: `${id}-spot`, quantityKwh: p.plannedKwh },
    {
      kind: 'forward',
      id: `${id}-forward`,
      quantityKwh: p.plannedKwh,
      priceUsdPerKwh: p.dayAheadUsdPerKwh + terms.forwardPremiumUsdPerKwh,
    },
    {
      kind: 'option',
      id: `${id}-option`,
      quantityKwh: p.plannedKwh,
      strikeUsdPerKwh: strike,
      premiumUsd: terms.optionMarkup * payoff,
    },
  ];
}

export interface HourContracts {
  /** realized cost under each policy, $ */
  costUsd: Record<ContractPolicy, number>;
  chosen: Contract['kind'];
}

/** Settles the hour's purchase under each fixed contract and under the household's own choice. */
export function settleHourContracts(
  p: HourPurchase,
  terms: ContractTerms,
  r: Prng,
  id: string,
): HourContracts {
  const offers = offersFor(p, terms, r, id);
  const chosen = chooseContract(offers, scenarios(p, p.expectedSpotUsdPerKwh, terms.scenarios, r));
  const delivery: Delivery = { spotUsdPerKwh: p.spotUsdPerKwh, meteredKwh: p.meteredKwh };
  const cost = (c: Contract) => settleContract(c, delivery).totalUsd;
  return {
    costUsd: {
      spot: cost(offers[0]),
      forward: cost(offers[1]),
      option: cost(offers[2]),
      chosen: cost(chosen),
    },
    chosen: chosen.kind,
  };
}
