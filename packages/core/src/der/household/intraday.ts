import { InvalidValueError } from '../../errors/index.js';
import { type HourlyOrder, ordersForPositions } from './orders.js';
import type { Household } from './types.js';
import { checkPrices } from './validate.js';

export interface IntradayOptions {
  /** the first hour still open for trading; earlier hours are left to the real-time process */
  fromHour?: number;
  /** deviations up to this size are left to real-time balancing rather than traded, kWh */
  thresholdKwh?: number;
  /** names the market round in the order ids, e.g. "id1" */
  round?: string;
}

/**
 * The intraday process (Horta et al. §4.4.2): where the net position expected with updated
 * forecasts deviates from what is already committed by more than the threshold, trade the
 * difference — sell an extra surplus, buy an extra deficit — at limits from the updated price
 * forecast.
 */
export function intradayOrders(
  household: Household,
  committedNetKwh: readonly number[],
  updatedNetKwh: readonly number[],
  priceForecastUsdPerKwh: readonly number[],
  options: IntradayOptions = {},
): HourlyOrder[] {
  const fromHour = options.fromHour ?? 0;
  const thresholdKwh = options.thresholdKwh ?? 0;
  if (committedNetKwh.length !== updatedNetKwh.length)
    throw new InvalidValueError(
      `household ${household.id}: committedNetKwh has ${committedNetKwh.length} hours, updatedNetKwh ${updatedNetKwh.length}`,
      { details: { household: household.id, field: 'updatedNetKwh' } },
    );
  if (!(Number.isFinite(thresholdKwh) && thresholdKwh >= 0))
    throw new InvalidValueError(`household ${household.id}: thresholdKwh = ${thresholdKwh} must be ≥ 0`, {
      details: { household: household.id, field: 'thresholdKwh' },
    });
  checkPrices(priceForecastUsdPerKwh, 'priceForecastUsdPerKwh');
  const deviation = updatedNetKwh.map((u, h) => {
    if (!Number.isFinite(u) || !Number.isFinite(committedNetKwh[h]))
      throw new InvalidValueError(`household ${household.id}: hour ${h}'s net position is not a number`, {
        details: { household: household.id, field: 'updatedNetKwh', hour: h },
      });
    const d = u - committedNetKwh[h];
    return h >= fromHour && Math.abs(d) > thresholdKwh ? d : 0;
  });
  return ordersForPositions(household, deviation, priceForecastUsdPerKwh, options.round ?? 'id');
}
