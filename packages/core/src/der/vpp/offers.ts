import { InvalidValueError } from '../../errors/index.js';
import type { Offer, TradeOrder } from '../../market/orders/index.js';
import type { SupplyStep } from './supply.js';

export interface OfferPlacement {
  id: string;
  participant: string;
  bus: string;
  /** LEM intervals the offer is valid in */
  intervals?: number[];
}

/** The supply function as one LEM DER offer: a demand reduction is supply at the bus. */
export function toLemOffer(steps: readonly SupplyStep[], at: OfferPlacement): Offer {
  const priced = steps.filter((s) => s.quantityKw > 0);
  if (priced.length === 0)
    throw new InvalidValueError(`VPP offer ${at.id} steps: no step offers a positive quantity`);
  return {
    type: 'offer',
    id: at.id,
    participant: at.participant,
    bus: at.bus,
    ...(at.intervals ? { intervals: at.intervals } : {}),
    steps: [...priced]
      .sort((a, b) => a.pricePerMwh - b.pricePerMwh)
      .map((s) => ({ price: s.pricePerMwh, quantityKw: s.quantityKw })),
  };
}

/**
 * The supply function as sell orders of the peer-to-peer and transactive markets: one limit order
 * per step, energy over one interval (kWh) at $/kWh.
 */
export function toTradeOrders(
  steps: readonly SupplyStep[],
  owner: string,
  intervalMinutes: number,
  timeS?: number,
): TradeOrder[] {
  if (!(intervalMinutes > 0))
    throw new InvalidValueError(`VPP trade orders intervalMinutes: must be positive, got ${intervalMinutes}`);
  return steps
    .filter((s) => s.quantityKw > 0)
    .map((s, i) => ({
      id: `${owner}-${s.tier}-${i}`,
      side: 'sell' as const,
      type: 'limit' as const,
      price: s.pricePerMwh / 1000,
      quantity: (s.quantityKw * intervalMinutes) / 60,
      owner,
      ...(timeS !== undefined ? { time: timeS } : {}),
      timeInForce: 'GTC' as const,
    }));
}

/** A 15-minute regulation capacity offer (symmetric up and down). */
export interface RegulationOffer {
  id: string;
  participant: string;
  intervalMinutes: 15;
  capacityKw: number;
  /** $/MW-h of capacity */
  capacityPricePerMwh: number;
  /** expected PJM performance score the capacity is offered at */
  performanceScore: number;
}

/**
 * Regulation capacity is symmetric, so it is bounded by the smaller of what the VPP can shed on top
 * of its regulation midpoint and what it can restore below it: with the midpoint at half the
 * confident reduction, capacity = half the confident reduction.
 */
export function toRegulationOffer(
  steps: readonly SupplyStep[],
  id: string,
  participant: string,
  capacityPricePerMwh: number,
  performanceScore: number,
): RegulationOffer {
  const confidentKw = steps.filter((s) => s.tier !== 'red').reduce((a, s) => a + s.quantityKw, 0);
  if (!(performanceScore >= 0 && performanceScore <= 1))
    throw new InvalidValueError(`VPP regulation offer ${id} performanceScore: must lie in [0, 1]`);
  return {
    id,
    participant,
    intervalMinutes: 15,
    capacityKw: confidentKw / 2,
    capacityPricePerMwh,
    performanceScore,
  };
}
