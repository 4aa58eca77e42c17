import { InvalidValueError } from '../errors/index.js';
/**
 * Household energy contracts of the liu-small seed: spot (bought at the price of the moment),
 * forward (a price locked ahead, optionally indexed, e.g. to temperature) and option (a premium
 * now for the right, not the obligation, to buy at the strike at delivery). Quantities in kWh,
 * prices in $/kWh.
 */
export type Contract =
  | { kind: 'spot'; id: string; quantityKwh: number }
  | {
      kind: 'forward';
      id: string;
      quantityKwh: number;
      priceUsdPerKwh: number;
      /** an indexed price: price + slope·(index − reference), e.g. per °C above a reference */
      index?: { slopeUsdPerKwhPerUnit: number; reference: number };
    }
  | { kind: 'option'; id: string; quantityKwh: number; strikeUsdPerKwh: number; premiumUsd: number };

export interface Delivery {
  /** spot price at delivery, $/kWh */
  spotUsdPerKwh: number;
  /** the energy the meter shows was delivered to the household, kWh */
  meteredKwh: number;
  /** the value of the forward's index at delivery, if it has one */
  index?: number;
}

export interface ContractStatement {
  id: string;
  kind: Contract['kind'];
  /** energy settled under the contract, kWh */
  contractKwh: number;
  /** energy bought at spot because the contract did not cover it (or sold back, negative), kWh */
  spotKwh: number;
  premiumUsd: number;
  contractUsd: number;
  spotUsd: number;
  totalUsd: number;
  exercised?: boolean;
}

/**
 * Settles a contract against the metered delivery: the contract's quantity at its price (an
 * option only if exercised, i.e. the spot price is above the strike), and the difference between
 * the metered energy and the contracted quantity at spot, bought if more was used, sold back if
 * less.
 */
export function settleContract(c: Contract, d: Delivery): ContractStatement {
  if (!(d.meteredKwh >= 0))
    throw new InvalidValueError(`contract ${c.id}: meteredKwh ${d.meteredKwh} must be a non-negative number`);
  let price = d.spotUsdPerKwh;
  let covered = 0;
  let premium = 0;
  let exercised: boolean | undefined;
  if (c.kind === 'forward') {
    covered = c.quantityKwh;
    price = c.priceUsdPerKwh;
    if (c.index) {
      if (d.index === undefined)
        throw new InvalidValueError(`contract ${c.id}: index: the index value at delivery is missing`);
      price += c.index.slopeUsdPerKwhPerUnit * (d.index - c.index.reference);
    }
  } else if (c.kind === 'option') {
    premium = c.premiumUsd;
    exercised = d.spotUsdPerKwh > c.strikeUsdPerKwh;
    covered = exercised ? Math.min(c.quantityKwh, d.meteredKwh) : 0;
    price = c.strikeUsdPerKwh;
  }
  const contractUsd = covered * price;
  const spotKwh = d.meteredKwh - covered;
  const spotUsd = spotKwh * d.spotUsdPerKwh;
  return {
    id: c.id,
    kind: c.kind,
    contractKwh: covered,
    spotKwh,
    premiumUsd: premium,
    contractUsd,
    spotUsd,
    totalUsd: premium + contractUsd + spotUsd,
    ...(exercised === undefined ? {} : { exercised }),
  };
}

/** The option's value at delivery before its premium: what exercising saves, never negative. */
export function optionPayoffUsd(c: Extract<Contract, { kind: 'option' }>, d: Delivery): number {
  return Math.max(0, d.spotUsdPerKwh - c.strikeUsdPerKwh) * Math.min(c.quantityKwh, d.meteredKwh);
}

/**
 * A household's choice among contracts for a delivery it forecasts: the one with the least
 * expected cost over the forecast's scenarios (equally likely), spot on a tie.
 */
export function chooseContract(offers: readonly Contract[], scenarios: readonly Delivery[]): Contract {
  if (scenarios.length === 0) throw new InvalidValueError('chooseContract: scenarios: no forecast scenarios');
  const expected = (c: Contract) =>
    scenarios.reduce((a, d) => a + settleContract(c, d).totalUsd, 0) / scenarios.length;
  let best = offers.find((c) => c.kind === 'spot') ?? offers[0];
  let bestCost = expected(best);
  for (const c of offers) {
    const cost = expected(c);
    if (cost < bestCost - 1e-9) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}
