import { InvalidValueError } from '../../errors/index.js';
import { FleetController } from '../control/index.js';
import { buildFleet, type FleetSpec } from '../devices/index.js';

/** One step of the VPP's supply function: up to cumulative reduction at a price, with its odds. */
export interface SupplyStep {
  tier: 'green' | 'yellow' | 'red';
  /** $/MWh the aggregator asks for this step (the contracts' compensation plus a margin) */
  pricePerMwh: number;
  /** marginal reduction this step adds, kW */
  quantityKw: number;
  /** share of sampled rounds in which the cumulative reduction up to this step was delivered */
  confidence: number;
}

export interface SupplyOptions {
  seed: number;
  /** how long the reduction must be held, s (a market interval) */
  holdS: number;
  /** required delivery confidence: each step offers the (1 − confidence) quantile of yield */
  confidence: number;
  pricesPerMwh: { green: number; yellow: number; red: number };
  /** include red (emergency) demand */
  emergency?: boolean;
  dtS?: number;
}

function quantile(xs: Float64Array, q: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))];
}

/**
 * Yield statistics → supply function. For each tier depth (green; green+yellow; +red in an
 * emergency) a seeded copy of the fleet is asked for the deepest reduction that depth allows,
 * held for `holdS`; every round after the first minute is one sample of deliverable reduction
 * (overrides, departures and rebound make it vary). The step's cumulative quantity is the
 * (1 − confidence) quantile of those samples, so it is met in at least that share of rounds; the
 * marginal quantity over the previous depth is offered at that tier's price.
 */
export function supplyFunction(spec: FleetSpec, options: SupplyOptions): SupplyStep[] {
  const { seed, holdS, confidence } = options;
  const dtS = options.dtS ?? 2;
  if (!(confidence > 0 && confidence < 1))
    throw new InvalidValueError(`VPP supply confidence: must lie in (0, 1), got ${confidence}`);
  if (!(holdS >= 120)) throw new InvalidValueError(`VPP supply holdS: must be at least 120 s, got ${holdS}`);
  const tiers = (['green', 'yellow', 'red'] as const).slice(0, options.emergency ? 3 : 2);
  const steps: SupplyStep[] = [];
  let previousKw = 0;
  tiers.forEach((tier, depth) => {
    const price = options.pricesPerMwh[tier];
    if (!Number.isFinite(price))
      throw new InvalidValueError(`VPP supply pricesPerMwh.${tier}: must be finite`);
    const fleet = buildFleet(spec, seed);
    const c = new FleetController(fleet, { dtS });
    const emergency = depth === 2;
    // a goal of the demand above this depth's tiers asks exactly for this depth's reduction
    const rounds = Math.round(holdS / dtS);
    const skip = Math.round(60 / dtS);
    const samples = new Float64Array(rounds - skip);
    for (let k = 0; k < rounds; k++) {
      const keep = c.totalDemandKw - depthDemandKw(c, depth);
      const r = c.round(keep, emergency);
      if (k >= skip) samples[k - skip] = r.totalDemandKw - r.enabledKw;
    }
    const cumulative = Math.max(previousKw, quantile(samples, 1 - confidence));
    const met = samples.reduce((a, x) => a + (x >= cumulative - 1e-9 ? 1 : 0), 0) / samples.length;
    steps.push({ tier, pricePerMwh: price, quantityKw: cumulative - previousKw, confidence: met });
    previousKw = cumulative;
  });
  return steps;
}

function depthDemandKw(c: FleetController, depth: number): number {
  let kw = 0;
  for (let t = 0; t <= depth; t++) kw += c.tierDemandKw(t);
  return kw;
}
