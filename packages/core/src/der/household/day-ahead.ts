import { type HourlyOrder, netPositionKwh, ordersForPositions } from './orders.js';
import { fixedForecast, type Schedule, scheduleJobs } from './schedule.js';
import type { Household, Pattern } from './types.js';
import { checkPrices, validateHousehold } from './validate.js';

export interface DayAheadPlan {
  household: string;
  /** the jobs as planned on the day-ahead price forecast */
  schedule: Schedule;
  /** expected surplus (+) or deficit (−) per hour with the planned jobs, kWh */
  netKwh: number[];
  /** the bids and asks for the local day-ahead market, at most one per hour */
  orders: HourlyOrder[];
}

/**
 * The day-ahead process (Horta et al. §4.4.1): with the load and PV forecasts, schedule the
 * controllable jobs against the day-ahead price forecast, which is taken as the truth for the
 * plan, then bid for every hour's deficit and offer every hour's surplus.
 */
export function planDayAhead(
  household: Household,
  pattern: Pattern,
  priceForecastUsdPerKwh: readonly number[],
): DayAheadPlan {
  validateHousehold(household);
  checkPrices(priceForecastUsdPerKwh, 'priceForecastUsdPerKwh');
  const schedule = scheduleJobs(
    household,
    pattern,
    priceForecastUsdPerKwh,
    fixedForecast(priceForecastUsdPerKwh),
  );
  const netKwh = netPositionKwh(household.loadKwh, household.pvKwh, schedule.loadKwh);
  return {
    household: household.id,
    schedule,
    netKwh,
    orders: ordersForPositions(household, netKwh, priceForecastUsdPerKwh, 'da'),
  };
}
