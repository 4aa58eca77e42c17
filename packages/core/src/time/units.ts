import { InvalidValueError } from '../errors/index.js';

/**
 * Every time constant of GridTier lives here: markets, fleets, meters and reports derive their
 * counts (intervals per day, rounds per interval) from these and from a product's length, so
 * no other room writes 12, 24, 48 or 288.
 */
export const MS_PER_SECOND = 1000;
export const SECONDS_PER_MINUTE = 60;
export const MINUTES_PER_HOUR = 60;
export const HOURS_PER_DAY = 24;
export const MS_PER_MINUTE = MS_PER_SECOND * SECONDS_PER_MINUTE;
export const MS_PER_HOUR = MS_PER_MINUTE * MINUTES_PER_HOUR;
export const MS_PER_DAY = MS_PER_HOUR * HOURS_PER_DAY;
export const MINUTES_PER_DAY = MINUTES_PER_HOUR * HOURS_PER_DAY;
export const SECONDS_PER_HOUR = SECONDS_PER_MINUTE * MINUTES_PER_HOUR;

export const minutesMs = (minutes: number): number => minutes * MS_PER_MINUTE;
export const hoursMs = (hours: number): number => hours * MS_PER_HOUR;
export const secondsMs = (seconds: number): number => seconds * MS_PER_SECOND;

/** Intervals of `minutes` in a day (288 five-minute steps, 24 hours …); the length must divide the day. */
export function intervalsPerDay(minutes: number): number {
  return intervalsIn(MINUTES_PER_DAY, minutes);
}

/** Whole intervals of `inner` minutes in `outer` minutes, e.g. 5-minute steps in an hour. */
export function intervalsIn(outerMinutes: number, innerMinutes: number): number {
  const n = outerMinutes / innerMinutes;
  if (!(Number.isInteger(n) && n > 0))
    throw new InvalidValueError(
      `${innerMinutes} min does not divide ${outerMinutes} min into whole intervals`,
      { details: { outerMinutes, innerMinutes } },
    );
  return n;
}

/** Hours in an interval of `minutes`: the factor from kW to kWh. */
export const hoursOf = (minutes: number): number => minutes / MINUTES_PER_HOUR;
