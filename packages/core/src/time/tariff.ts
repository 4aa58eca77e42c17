import { HOURS_PER_DAY } from './units.js';

/** A price for the day: one value, or one per hour of the day. */
export type DayPrice = number | readonly number[];

/** The price of a day price at an hour (fractions of an hour read the hour they fall in). */
export function priceAt(p: DayPrice, hour: number): number {
  return typeof p === 'number' ? p : p[Math.floor(hour) % HOURS_PER_DAY];
}

/** A day price as one value per hour. */
export function hourlyPrices(p: DayPrice): number[] {
  return Array.from({ length: HOURS_PER_DAY }, (_, h) => priceAt(p, h));
}
