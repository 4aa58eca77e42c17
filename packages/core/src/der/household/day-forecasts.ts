import { forecastPaths } from '../forecast/index.js';
import { type DayForecast, HOURS_PER_DAY } from './types.js';

export interface DayForecasts {
  /** the forecast of each hour of the day made `leadHours` before the day starts */
  dayAhead: number[];
  /**
   * forecasts made at hour h of the day, of hours h, h+1, … up to the day's end; h may be
   * negative, down to −leadHours, for forecasts made before the day (index −h is then hour 0)
   */
  at: DayForecast;
}

/**
 * Forecasts of one day's series as they improve from the day-ahead gate to delivery: the
 * forecastPaths updates drawn over the lead hours before the day and the day itself, so the
 * day-ahead forecast, every intraday forecast and the actual value of an hour are one path of
 * refinements. `floor` keeps physical quantities (load, PV) from going negative.
 */
export function dayForecasts(
  actual: readonly number[],
  updateStd: readonly number[],
  seed: number,
  leadHours: number,
  floor = Number.NEGATIVE_INFINITY,
): DayForecasts {
  // hours before the day only carry the leads; their values are never read
  const padded = [...new Array<number>(leadHours).fill(actual[0]), ...actual];
  const paths = forecastPaths(padded, updateStd, seed);
  const clip = (xs: number[]) => xs.map((x) => Math.max(floor, x));
  return {
    dayAhead: clip(paths(0).slice(leadHours, leadHours + HOURS_PER_DAY)),
    at: (h) => clip(paths(leadHours + h)),
  };
}

/**
 * The day as known at hour `madeAtHour` (negative: before the day): the forecasts made then of
 * the hours from it on, and the actual values of the hours already past, known by then.
 */
export function dayViewAt(f: DayForecasts, madeAtHour: number, actual: readonly number[]): number[] {
  const made = f.at(madeAtHour);
  return actual.map((y, t) => (t >= madeAtHour ? made[t - madeAtHour] : y));
}
