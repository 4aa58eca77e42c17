import type { Prng } from '../random/index.js';
import { HOURS_PER_DAY, MINUTES_PER_HOUR } from '../time/index.js';

/** What a site is: a home's day has morning and evening peaks, a business's a working-hours plateau. */
export type SiteKind = 'residential' | 'commercial';

const bump = (h: number, at: number, width: number) => Math.exp(-(((h - at) / width) ** 2));

/** Relative demand at hour-of-day h (0 ≤ h < 24) of a site of a kind; about 1 on average. */
export function loadWeight(kind: SiteKind, h: number): number {
  if (kind === 'commercial')
    return 0.45 + 0.75 / (1 + Math.exp(-(h - 7.5) * 2)) - 0.75 / (1 + Math.exp(-(h - 18.5) * 2));
  return 0.55 + 0.55 * bump(h, 7.5, 1.5) + 0.9 * bump(h, 19.5, 2.2) - 0.15 * bump(h, 13, 3);
}

/** Each interval's share of a day's demand (at the interval's middle), summing to 1. */
export function loadShares(kind: SiteKind, intervalMinutes: number): Float64Array {
  const n = Math.round((HOURS_PER_DAY * MINUTES_PER_HOUR) / intervalMinutes);
  const w = new Float64Array(n);
  let sum = 0;
  for (let t = 0; t < n; t++) {
    w[t] = loadWeight(kind, ((t + 0.5) * intervalMinutes) / MINUTES_PER_HOUR);
    sum += w[t];
  }
  for (let t = 0; t < n; t++) w[t] /= sum;
  return w;
}

/** PV output per kWp under a clear sky at hour-of-day h, kW: daylight from 6 to 20, after losses. */
export function clearSkyPvKwPerKwp(h: number): number {
  return h > 6 && h < 20 ? 0.85 * Math.sin((Math.PI * (h - 6)) / 14) ** 1.5 : 0;
}

/**
 * The day's sky over a feeder: cloud cover that drifts around the day's clearness, a step at a
 * time (one step per five minutes), so passing clouds last a while rather than flicker.
 */
export class Sky {
  private cloud = 1;

  constructor(private readonly clearness: number) {}

  /** The next step's share of clear-sky output, 0.2 to 1. */
  next(r: Prng): number {
    this.cloud = Math.min(
      1,
      Math.max(0.2, this.cloud + 0.15 * r.normal() + 0.1 * (this.clearness - this.cloud)),
    );
    return this.cloud;
  }
}

/**
 * A cloud that passes within an interval with the given probability, leaving 30–80 % of the
 * output; otherwise 1. For coarse (hourly) days, where a drifting sky would average out.
 */
export function passingCloud(r: Prng, probability: number): number {
  return r.next() < probability ? r.uniform(0.3, 0.8) : 1;
}
