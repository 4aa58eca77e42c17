import { limitPrices } from './orders.js';
import { fixedForecast, type Schedule, type ScheduledJob, scheduleJobs } from './schedule.js';
import { type ApplianceJob, HOURS_PER_DAY, type Household, type Pattern } from './types.js';

/**
 * Whether a started job runs on to its end: an uninterruptible job cannot pause, and the normal
 * and cost-acceptance patterns run every job as one block once they start it.
 */
export function runsThrough(pattern: Pattern, job: ApplianceJob): boolean {
  return !job.interruptible || pattern === 'normal' || pattern === 'costAcceptance';
}

/**
 * What a job's energy would cost per kWh in each hour of the day if it ran there, priced as a
 * change to the household's commitments rather than at the raw forecast. `uncommittedKwh[h]` is
 * the energy committed in hour h that nothing planned uses yet (net position without the job
 * less the committed one): the job running there uses it, which forgoes selling it back at the
 * sell limit; whatever it needs beyond that is bought at the buy limit, fee included. These
 * limits are what the intraday orders are placed at, and what unmatched orders settle at.
 */
export function deviationPricesUsdPerKwh(
  household: Household,
  pricesUsdPerKwh: readonly number[],
  uncommittedKwh: readonly number[],
  energyKwhPerHour: number,
): number[] {
  return pricesUsdPerKwh.map((forecast, h) => {
    const { buyUsdPerKwh, sellUsdPerKwh } = limitPrices(household, forecast);
    const freeKwh = Math.max(0, uncommittedKwh[h]);
    const coveredShare = energyKwhPerHour > 0 ? Math.min(1, freeKwh / energyKwhPerHour) : freeKwh > 0 ? 1 : 0;
    // written so that equal buy and sell limits give exactly that price, whatever is committed
    return buyUsdPerKwh - (buyUsdPerKwh - sellUsdPerKwh) * coveredShare;
  });
}

/**
 * The prediction pattern's intraday re-decision. Moving a committed job is not free: its old
 * hour's energy is sold back and its new hour's bought, across the network fee, so a job chosen
 * on the raw forecast moves for any cheaper-looking hour and pays more in trading than the move
 * saves. Each job is therefore scheduled with the pattern's own rules (least expected cost start,
 * or the hurdle rule) on the cost of deviating from the commitments, one after the other in the
 * household's order, each using up the committed energy the ones before it took.
 */
function replanOnDeviationCost(
  household: Household,
  residual: readonly ApplianceJob[],
  pricesUsdPerKwh: readonly number[],
  uncommittedKwh: readonly number[],
): ScheduledJob[] {
  const free = [...uncommittedKwh];
  return residual.map((job) => {
    const costs = deviationPricesUsdPerKwh(household, pricesUsdPerKwh, free, job.energyKwhPerHour);
    const [planned] = scheduleJobs(
      { ...household, jobs: [job] },
      'prediction',
      costs,
      fixedForecast(costs),
    ).jobs;
    for (const h of planned.hours) free[h] -= job.energyKwhPerHour;
    return planned;
  });
}

/**
 * The household's jobs re-decided at an intraday round whose gate is `gateHour` (the first hour
 * the round can still trade). `frozenHours[j]` are the hours before the gate in which job j of
 * `household.jobs` runs, fixed by the rounds that last traded them, since a household only
 * changes what it can still trade. A started job that runs through keeps running; every other
 * unfinished job is planned again over what is left of its window, for the hours it still has to
 * run, on the round's price forecast taken as the truth — as the day-ahead plan takes its own.
 * With `committedKwh` (net energy sold (+) or bought (−) so far per hour, kWh) the prediction
 * pattern decides on what deviating from those commitments costs (see replanOnDeviationCost);
 * the acceptance patterns keep their caps on the raw forecast, and normal never moves a job.
 * With no frozen hours, gate 0 and no commitments this is the day-ahead plan. The household is
 * assumed valid.
 */
export function replanJobs(
  household: Household,
  pattern: Pattern,
  pricesUsdPerKwh: readonly number[],
  frozenHours: readonly (readonly number[])[],
  gateHour: number,
  committedKwh?: readonly number[],
): Schedule {
  const residual: ApplianceJob[] = [];
  const kept = household.jobs.map((job, j): number[] | undefined => {
    const ran = frozenHours[j] ?? [];
    const left = job.durationHours - ran.length;
    if (left <= 0) return [...ran];
    if (ran.length > 0 && runsThrough(pattern, job)) {
      const next = ran[ran.length - 1] + 1;
      return [...ran, ...Array.from({ length: left }, (_, k) => next + k)];
    }
    const earliestHour = Math.max(job.earliestHour, gateHour);
    residual.push({
      ...job,
      earliestHour,
      windowHours: job.earliestHour + job.windowHours - earliestHour,
      durationHours: left,
    });
    return undefined;
  });
  let planned: ScheduledJob[] = [];
  if (residual.length > 0 && pattern === 'prediction' && committedKwh !== undefined) {
    // the net position with only the jobs' fixed hours, against what is committed
    const fixedLoadKwh = new Array<number>(HOURS_PER_DAY).fill(0);
    household.jobs.forEach((job, j) => {
      for (const h of kept[j] ?? frozenHours[j] ?? []) fixedLoadKwh[h] += job.energyKwhPerHour;
    });
    const uncommittedKwh = fixedLoadKwh.map(
      (load, h) => household.pvKwh[h] - household.loadKwh[h] - load - committedKwh[h],
    );
    planned = replanOnDeviationCost(household, residual, pricesUsdPerKwh, uncommittedKwh);
  } else if (residual.length > 0)
    planned = scheduleJobs(
      { ...household, jobs: residual },
      pattern,
      pricesUsdPerKwh,
      fixedForecast(pricesUsdPerKwh),
    ).jobs;
  let next = 0;
  const loadKwh = new Array<number>(HOURS_PER_DAY).fill(0);
  const jobs: ScheduledJob[] = household.jobs.map((job, j) => {
    const hours = kept[j] ?? [...(frozenHours[j] ?? []), ...planned[next++].hours];
    let costUsd = 0;
    for (const h of hours) {
      loadKwh[h] += job.energyKwhPerHour;
      costUsd += pricesUsdPerKwh[h] * job.energyKwhPerHour;
    }
    return { id: job.id, hours, costUsd };
  });
  return { pattern, jobs, loadKwh, costUsd: jobs.reduce((a, j) => a + j.costUsd, 0) };
}
