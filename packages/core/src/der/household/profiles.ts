import { clearSkyPvKwPerKwp, loadShares, passingCloud } from '../../profiles/index.js';
import type { Prng } from '../../random/index.js';
import { MINUTES_PER_HOUR } from '../../time/index.js';
import { type ApplianceJob, HOURS_PER_DAY, type Household } from './types.js';

/** What stays the same about a household from day to day. */
export interface HouseholdTraits {
  id: string;
  loadKwhPerDay: number;
  pvKwp: number;
  reservationUsdPerKwh: number;
  feedInUsdPerKwh: number;
  networkFeeUsdPerKwh: number;
  acceptUsdPerKwh: number;
}

/** One day as it actually happens for a household: its load and PV, and the jobs it asks for. */
export interface HouseholdDay {
  loadKwh: number[];
  pvKwh: number[];
  jobs: ApplianceJob[];
}

export function syntheticTraits(id: string, r: Prng): HouseholdTraits {
  return {
    id,
    loadKwhPerDay: r.uniform(6, 14),
    pvKwp: r.next() < 0.6 ? r.uniform(2, 6) : 0,
    reservationUsdPerKwh: r.uniform(0.18, 0.3),
    feedInUsdPerKwh: r.uniform(0.02, 0.06),
    networkFeeUsdPerKwh: r.uniform(0.04, 0.08),
    acceptUsdPerKwh: r.uniform(0.03, 0.05),
  };
}

const SHARES = loadShares('residential', MINUTES_PER_HOUR);

/** A job drawn from a template: the window starts in a range and is at least the duration long. */
function job(
  r: Prng,
  id: string,
  startRange: [number, number],
  duration: number,
  interruptible: boolean,
  energyKwhPerHour: number,
): ApplianceJob {
  const earliestHour = startRange[0] + r.int(startRange[1] - startRange[0] + 1);
  const maxWindow = HOURS_PER_DAY - earliestHour;
  const windowHours = Math.min(maxWindow, duration + r.int(maxWindow - duration + 1));
  return { id, earliestHour, windowHours, durationHours: duration, interruptible, energyKwhPerHour };
}

/**
 * A seeded day: noisy load on the residential shape, clear-sky PV scaled by the day's clearness
 * with passing clouds (the shapes of ../profiles), and the day's jobs — a dishwasher after dinner, a washing machine in the day, and
 * for some an electric vehicle charging through the night's first hours (interruptible).
 */
export function syntheticDay(t: HouseholdTraits, r: Prng): HouseholdDay {
  const clearness = r.uniform(0.4, 1);
  const loadKwh = Array.from(SHARES, (s) => t.loadKwhPerDay * s * Math.max(0.2, 1 + 0.2 * r.normal()));
  // hourly: the day's clearness and now and then a cloud passing in the hour
  const pvKwh = Array.from(
    { length: HOURS_PER_DAY },
    (_, h) => t.pvKwp * clearSkyPvKwPerKwp(h + 0.5) * clearness * passingCloud(r, 0.15),
  );
  const jobs: ApplianceJob[] = [job(r, 'dishwasher', [18, 21], 2, false, 1.1)];
  if (r.next() < 0.7) jobs.push(job(r, 'washer', [7, 12], 1 + r.int(2), false, 0.9));
  if (r.next() < 0.4) jobs.push(job(r, 'ev', [0, 2], 2 + r.int(4), true, 3.6));
  if (r.next() < 0.5) jobs.push(job(r, 'heater', [10, 14], 1 + r.int(3), true, 1.5));
  return { loadKwh, pvKwh, jobs };
}

/** The household as its HEMS plans it: traits, the day's jobs, and forecasts of load and PV. */
export function householdFor(
  t: HouseholdTraits,
  jobs: readonly ApplianceJob[],
  loadKwh: readonly number[],
  pvKwh: readonly number[],
): Household {
  return {
    id: t.id,
    loadKwh,
    pvKwh,
    jobs,
    reservationUsdPerKwh: t.reservationUsdPerKwh,
    feedInUsdPerKwh: t.feedInUsdPerKwh,
    networkFeeUsdPerKwh: t.networkFeeUsdPerKwh,
    acceptUsdPerKwh: t.acceptUsdPerKwh,
  };
}
