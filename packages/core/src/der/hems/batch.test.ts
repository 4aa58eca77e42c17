import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import {
  acceptCost,
  acceptPrice,
  type BatchPattern,
  emptyJobBatch,
  type Job,
  type JobBatch,
  maskHours,
  predict,
  runNow,
  scheduleBatch,
} from './index.js';

/** A day of prices with forecasts that refine towards them; integer prices make ties common. */
function randomDay(r: Prng, hours: number, integer: boolean) {
  const prices = Array.from({ length: hours }, () => (integer ? r.int(8) : r.uniform(-5, 60)));
  // a forecast is fixed once made: the same call at the same hour returns the same numbers
  const noise = prices.map(() => prices.map(() => (integer ? r.int(3) - 1 : r.normal())));
  const forecastAt = (h: number) =>
    prices.slice(h).map((p, k) => p + (integer ? noise[h][k] * Math.sign(k) : k * 0.7 * noise[h][k]));
  return { prices, forecastAt };
}

function randomJobs(r: Prng, hours: number, n: number): JobBatch {
  const jobs = emptyJobBatch(n);
  for (let j = 0; j < n; j++) {
    const s = r.int(hours);
    const w = 1 + r.int(hours - s);
    jobs.earliestHour[j] = s;
    jobs.windowHours[j] = w;
    jobs.durationHours[j] = r.int(w + 1);
    jobs.interruptible[j] = r.int(2);
    jobs.kwh[j] = r.uniform(0.2, 4);
    jobs.limit[j] = r.uniform(0, 40);
  }
  return jobs;
}

function oneByOne(
  pattern: BatchPattern,
  jobs: JobBatch,
  j: number,
  prices: number[],
  forecastAt: (h: number) => number[],
) {
  const s = jobs.earliestHour[j];
  const W = jobs.windowHours[j];
  const job: Job = {
    windowHours: W,
    durationHours: jobs.durationHours[j],
    interruptible: jobs.interruptible[j] === 1,
    kwh: jobs.kwh[j],
  };
  const p = prices.slice(s, s + W);
  const f = (h: number) => forecastAt(s + h).slice(0, W - h);
  const o =
    pattern === 'normal'
      ? runNow(job, p)
      : pattern === 'prediction'
        ? predict(job, p, f)
        : pattern === 'costAcceptance'
          ? acceptCost(job, p, f, jobs.limit![j] * job.kwh * job.durationHours)
          : acceptPrice(job, p, jobs.limit![j]);
  return { hours: o.hours.map((h) => h + s), cost: o.cost };
}

describe('batch appliance scheduling', () => {
  const patterns: BatchPattern[] = ['normal', 'prediction', 'costAcceptance', 'priceAcceptance'];
  for (const pattern of patterns)
    it(`${pattern} equals the job-by-job functions on random days and jobs`, () => {
      const r = new Prng(patterns.indexOf(pattern) + 11);
      for (let day = 0; day < 40; day++) {
        const hours = 1 + r.int(24);
        const { prices, forecastAt } = randomDay(r, hours, day % 2 === 0);
        const jobs = randomJobs(r, hours, 60);
        // cost acceptance's cap is per job; price it from the per-kWh limit as the household does
        const batchJobs =
          pattern === 'costAcceptance'
            ? { ...jobs, limit: jobs.limit!.map((l, j) => l * jobs.kwh[j] * jobs.durationHours[j]) }
            : jobs;
        const b = scheduleBatch(pattern, batchJobs, prices, forecastAt);
        for (let j = 0; j < jobs.kwh.length; j++) {
          const o = oneByOne(pattern, jobs, j, prices, forecastAt);
          expect(maskHours(b.hoursMask[j])).toEqual(o.hours);
          expect(b.cost[j]).toBeCloseTo(o.cost, 9);
        }
      }
    });

  it('rejects jobs that do not fit the day and batches with mismatched arrays', () => {
    const r = new Prng(1);
    const jobs = randomJobs(r, 24, 3);
    const prices = new Array<number>(24).fill(1);
    const f = (h: number) => prices.slice(h);
    jobs.durationHours[1] = jobs.windowHours[1] + 1;
    expect(() => scheduleBatch('normal', jobs, prices, f)).toThrow(/job #1/);
    const short = { ...randomJobs(r, 24, 3), kwh: new Float64Array(2) };
    expect(() => scheduleBatch('prediction', short, prices, f)).toThrow(InvalidValueError);
    expect(() => scheduleBatch('prediction', randomJobs(r, 24, 3), new Array(33).fill(1), f)).toThrow(
      /33 hours/,
    );
  });
});
