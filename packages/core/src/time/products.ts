import { InvalidValueError } from '../errors/index.js';
import { intervalsIn, MINUTES_PER_DAY, MS_PER_DAY, minutesMs } from './units.js';

/**
 * A traded product: what one session of a market delivers and when its gate closes.
 * - `intervalMinutes`: the delivery interval (5, 15, 30, 60 minutes);
 * - `intervalsPerSession`: how many intervals one session clears together (the day-ahead
 *   market's 24 hours; 1 for the others);
 * - `gateLeadMinutes`: how long before the first delivered interval the gate closes (the
 *   day-ahead's closes the day before);
 * - `openLeadMinutes`: how long before the gate the session opens for orders.
 */
export interface Product {
  readonly name: string;
  readonly intervalMinutes: number;
  readonly intervalsPerSession: number;
  readonly gateLeadMinutes: number;
  readonly openLeadMinutes: number;
}

/** One session of a product: the delivery it clears, when it takes orders, when its gate closes. */
export interface SessionWindow {
  /** first delivered instant, ms since the epoch */
  deliveryStartMs: number;
  deliveryEndMs: number;
  openMs: number;
  gateMs: number;
}

export function product(p: Product): Product {
  const { name, intervalMinutes, intervalsPerSession, gateLeadMinutes, openLeadMinutes } = p;
  const bad = (field: string, why: string) =>
    new InvalidValueError(`product ${name}: ${field} ${why}`, { details: { field } });
  if (!(Number.isInteger(intervalsPerSession) && intervalsPerSession >= 1))
    throw bad('intervalsPerSession', `= ${intervalsPerSession} must be a whole number ≥ 1`);
  // a session's delivery must tile the day so every day has the same sessions
  intervalsIn(MINUTES_PER_DAY, intervalMinutes * intervalsPerSession);
  if (!(Number.isFinite(gateLeadMinutes) && gateLeadMinutes >= 0))
    throw bad('gateLeadMinutes', `= ${gateLeadMinutes} must be ≥ 0`);
  if (!(Number.isFinite(openLeadMinutes) && openLeadMinutes > 0))
    throw bad('openLeadMinutes', `= ${openLeadMinutes} must be > 0`);
  return Object.freeze({ ...p });
}

/** The products of GridTier's markets, by their usual gates. */
export const PRODUCTS = {
  /** LEM real time: each 5-minute interval clears at its start */
  rt5: product({
    name: '5min',
    intervalMinutes: 5,
    intervalsPerSession: 1,
    gateLeadMinutes: 0,
    openLeadMinutes: 5,
  }),
  /** Layer III VPP-to-VPP: 5 minutes ahead */
  ahead5: product({
    name: '5min-ahead',
    intervalMinutes: 5,
    intervalsPerSession: 1,
    gateLeadMinutes: 5,
    openLeadMinutes: 5,
  }),
  /** Layer II ancillary: 15 minutes ahead */
  ahead15: product({
    name: '15min-ahead',
    intervalMinutes: 15,
    intervalsPerSession: 1,
    gateLeadMinutes: 15,
    openLeadMinutes: 15,
  }),
  /** Layer I microgrids: 30 minutes ahead */
  ahead30: product({
    name: '30min-ahead',
    intervalMinutes: 30,
    intervalsPerSession: 1,
    gateLeadMinutes: 30,
    openLeadMinutes: 30,
  }),
  /** intraday hourly products: the gate closes an hour before delivery; trading opens with the day-ahead result */
  intraday60: product({
    name: '60min-intraday',
    intervalMinutes: 60,
    intervalsPerSession: 1,
    gateLeadMinutes: 60,
    openLeadMinutes: 12 * 60,
  }),
  /** the LEM's day-ahead: 24 hours, gate at 11:00 the day before, an hour before the ISO's at noon */
  dayAhead: product({
    name: 'day-ahead',
    intervalMinutes: 60,
    intervalsPerSession: 24,
    gateLeadMinutes: 13 * 60,
    openLeadMinutes: 60,
  }),
} as const;

export const sessionMinutes = (p: Product): number => p.intervalMinutes * p.intervalsPerSession;

/** The session window of a product whose delivery starts at `deliveryStartMs`. */
export function windowOf(p: Product, deliveryStartMs: number): SessionWindow {
  const gateMs = deliveryStartMs - minutesMs(p.gateLeadMinutes);
  return {
    deliveryStartMs,
    deliveryEndMs: deliveryStartMs + minutesMs(sessionMinutes(p)),
    openMs: gateMs - minutesMs(p.openLeadMinutes),
    gateMs,
  };
}

/** Every session of a product whose delivery starts within the day that begins at `dayStartMs`. */
export function sessionsOfDay(p: Product, dayStartMs: number): SessionWindow[] {
  const n = MINUTES_PER_DAY / sessionMinutes(p);
  return Array.from({ length: n }, (_, i) => windowOf(p, dayStartMs + i * minutesMs(sessionMinutes(p))));
}

/** The start of the UTC day that holds `t`. */
export const dayStartOf = (t: number): number => Math.floor(t / MS_PER_DAY) * MS_PER_DAY;

/** Index of the interval of `minutes` that holds `t`, counted from `dayStartMs`. */
export const intervalIndex = (dayStartMs: number, t: number, minutes: number): number =>
  Math.floor((t - dayStartMs) / minutesMs(minutes));
