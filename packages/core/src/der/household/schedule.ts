import { acceptCost, acceptPrice, type Job, predict, runNow } from '../hems/index.js';
import { type ApplianceJob, type DayForecast, HOURS_PER_DAY, type Household, type Pattern } from './types.js';

export interface ScheduledJob {
  id: string;
  /** hours of the day in which the job runs */
  hours: number[];
  /** the job's energy at the prices it was scheduled on, $ */
  costUsd: number;
}

export interface Schedule {
  pattern: Pattern;
  jobs: ScheduledJob[];
  /** the jobs' load per hour of the day, kWh */
  loadKwh: number[];
  costUsd: number;
}

/** The day's prices and forecasts seen from inside a job's window (hour 0 = its earliest hour). */
function windowView(job: ApplianceJob, pricesUsdPerKwh: readonly number[], forecastAt: DayForecast) {
  const from = job.earliestHour;
  const to = from + job.windowHours;
  const hemsJob: Job = {
    windowHours: job.windowHours,
    durationHours: job.durationHours,
    interruptible: job.interruptible,
    kwh: job.energyKwhPerHour,
  };
  return {
    hemsJob,
    prices: pricesUsdPerKwh.slice(from, to),
    forecast: (h: number) => forecastAt(from + h).slice(0, to - from - h),
  };
}

function scheduleJob(
  job: ApplianceJob,
  pattern: Pattern,
  household: Household,
  pricesUsdPerKwh: readonly number[],
  forecastAt: DayForecast,
): ScheduledJob {
  const { hemsJob, prices, forecast } = windowView(job, pricesUsdPerKwh, forecastAt);
  // the household states one acceptable price per kWh; cost acceptance caps the whole run with it
  const capUsd = household.acceptUsdPerKwh * job.energyKwhPerHour * job.durationHours;
  const outcome =
    pattern === 'normal'
      ? runNow(hemsJob, prices)
      : pattern === 'prediction'
        ? predict(hemsJob, prices, forecast)
        : pattern === 'costAcceptance'
          ? acceptCost(hemsJob, prices, forecast, capUsd)
          : acceptPrice(hemsJob, prices, household.acceptUsdPerKwh);
  return { id: job.id, hours: outcome.hours.map((h) => h + job.earliestHour), costUsd: outcome.cost };
}

/**
 * Schedules every job of the household with one pattern on `pricesUsdPerKwh` (the prices that
 * will be paid) and `forecastAt` (what is known of them as the day goes on). The household is
 * assumed valid (see validateHousehold).
 */
export function scheduleJobs(
  household: Household,
  pattern: Pattern,
  pricesUsdPerKwh: readonly number[],
  forecastAt: DayForecast,
): Schedule {
  const loadKwh = new Array<number>(HOURS_PER_DAY).fill(0);
  const jobs = household.jobs.map((job) => {
    const s = scheduleJob(job, pattern, household, pricesUsdPerKwh, forecastAt);
    for (const h of s.hours) loadKwh[h] += job.energyKwhPerHour;
    return s;
  });
  return { pattern, jobs, loadKwh, costUsd: jobs.reduce((a, j) => a + j.costUsd, 0) };
}

/** A forecast that never changes: the day-ahead view, in which the forecast is taken as the truth. */
export function fixedForecast(pricesUsdPerKwh: readonly number[]): DayForecast {
  return (hour) => pricesUsdPerKwh.slice(hour);
}
