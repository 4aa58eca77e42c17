import { InvalidValueError } from '../../errors/index.js';

export interface ImbalancePrices {
  /** what a household pays per kWh it is short (delivered less than committed), $/kWh */
  shortUsdPerKwh: readonly number[];
  /** what it is paid per kWh it is long (delivered more than committed), $/kWh */
  longUsdPerKwh: readonly number[];
}

export interface RealTimeHour {
  hour: number;
  /** net energy committed in the day-ahead and intraday trades, sold +, bought −, kWh */
  committedKwh: number;
  /** net energy the meter shows, exported +, imported −, kWh */
  deliveredKwh: number;
  /** delivered − committed, kWh */
  imbalanceKwh: number;
  /** the imbalance's cost, $ (negative: the household is paid) */
  costUsd: number;
}

export interface RealTimeResult {
  hours: RealTimeHour[];
  /** Σ |imbalance|, kWh */
  absImbalanceKwh: number;
  costUsd: number;
}

/**
 * The real-time process (Horta et al. §4.4.3): the household follows its commitments, and what
 * it could not follow is settled as imbalance, short at the short price, long at the long price.
 */
export function settleRealTime(
  household: string,
  committedKwh: readonly number[],
  deliveredKwh: readonly number[],
  prices: ImbalancePrices,
): RealTimeResult {
  const n = committedKwh.length;
  for (const [field, a] of [
    ['deliveredKwh', deliveredKwh],
    ['shortUsdPerKwh', prices.shortUsdPerKwh],
    ['longUsdPerKwh', prices.longUsdPerKwh],
  ] as const)
    if (a.length !== n)
      throw new InvalidValueError(
        `household ${household}: ${field} has ${a.length} hours, committedKwh ${n}`,
        {
          details: { household, field },
        },
      );
  let absImbalanceKwh = 0;
  let costUsd = 0;
  const hours = committedKwh.map((committed, hour) => {
    const delivered = deliveredKwh[hour];
    const imbalanceKwh = delivered - committed;
    if (!Number.isFinite(imbalanceKwh))
      throw new InvalidValueError(`household ${household}: hour ${hour}'s energy is not a number`, {
        details: { household, hour },
      });
    const price = imbalanceKwh < 0 ? prices.shortUsdPerKwh[hour] : prices.longUsdPerKwh[hour];
    const cost = -imbalanceKwh * price;
    absImbalanceKwh += Math.abs(imbalanceKwh);
    costUsd += cost;
    return { hour, committedKwh: committed, deliveredKwh: delivered, imbalanceKwh, costUsd: cost };
  });
  return { hours, absImbalanceKwh, costUsd };
}
