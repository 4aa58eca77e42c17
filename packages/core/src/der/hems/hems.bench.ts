import { type BenchContext, median } from '../../bench-support.js';
import { Prng } from '../../random/index.js';
import { estimateUpdateStd, forecastPaths, syntheticPriceHistory } from '../forecast/index.js';
import { type BatchPattern, emptyJobBatch, type JobBatch, predict, scheduleBatch } from './index.js';

const JOBS = 1_000_000;
const HOURS = 24;
const RUNS = 5;
/** job-by-job predict on a sample only: at its speed the full million would take far too long */
const SAMPLE = 20_000;

/** A mix of appliance jobs: a third interruptible, windows anywhere in the day, durations up to the window. */
function jobMix(seed: number, n: number): JobBatch {
  const r = new Prng(seed);
  const jobs = emptyJobBatch(n);
  for (let j = 0; j < n; j++) {
    const s = r.int(HOURS);
    const w = 1 + r.int(HOURS - s);
    jobs.earliestHour[j] = s;
    jobs.windowHours[j] = w;
    jobs.durationHours[j] = 1 + r.int(Math.min(w, 8));
    jobs.interruptible[j] = r.next() < 1 / 3 ? 1 : 0;
    jobs.kwh[j] = r.uniform(0.5, 7);
    jobs.limit![j] = r.uniform(0.03, 0.06) * jobs.kwh[j] * jobs.durationHours[j];
  }
  return jobs;
}

/** A day's real-time prices, $/kWh, and their forecasts as they are updated through the day. */
function day() {
  const h = syntheticPriceHistory(3, 8);
  const toKwh = (xs: number[]) => xs.map((x) => x / 1000);
  const std = estimateUpdateStd(toKwh(h.realTime.slice(0, 7 * HOURS)), HOURS);
  const prices = toKwh(h.realTime.slice(7 * HOURS));
  const paths = forecastPaths(prices, std, 3);
  // forecasts are issued once per hour; every job reads the same ones
  const issued = Array.from({ length: HOURS }, (_, t) => paths(t));
  return { prices, forecastAt: (t: number) => issued[t] };
}

function time(ctx: BenchContext, f: () => void): number[] {
  f();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ctx.gc();
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return ms;
}

/** Scheduling 1,000,000 appliance jobs against one 24-hour forecast, per pattern, in one batch. */
export async function bench(ctx: BenchContext) {
  const jobs = jobMix(17, JOBS);
  const { prices, forecastAt } = day();
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
  const patterns: BatchPattern[] = ['prediction', 'normal', 'costAcceptance', 'priceAcceptance'];
  const rows = patterns.map((pattern) => {
    const limit =
      pattern === 'priceAcceptance'
        ? jobs.limit!.map((c, j) => c / (jobs.kwh[j] * jobs.durationHours[j]))
        : jobs.limit;
    const batch = { ...jobs, limit };
    const ms = median(time(ctx, () => scheduleBatch(pattern, batch, prices, forecastAt)));
    return [`batch ${pattern}`, String(JOBS), ms.toFixed(0), rate(JOBS, ms)];
  });
  const sampleMs = median(
    time(ctx, () => {
      for (let j = 0; j < SAMPLE; j++) {
        const s = jobs.earliestHour[j];
        const w = jobs.windowHours[j];
        predict(
          {
            windowHours: w,
            durationHours: jobs.durationHours[j],
            interruptible: jobs.interruptible[j] === 1,
            kwh: jobs.kwh[j],
          },
          prices.slice(s, s + w),
          (h) => forecastAt(s + h).slice(0, w - h),
        );
      }
    }),
  );
  rows.push(['job by job predict (sample)', String(SAMPLE), sampleMs.toFixed(0), rate(SAMPLE, sampleMs)]);
  return {
    title: `Household appliance scheduling: 1,000,000 jobs, 24-hour forecast (ms, median of ${RUNS} after 1 warm-up)`,
    columns: ['what', 'jobs', 'ms', 'jobs/s'],
    rows,
    notes: [
      'target: 1,000,000 jobs scheduled in ≤ 2,000 ms. A third of the jobs are interruptible (hurdle rule re-decided every hour on the updated forecast), the rest run in one block; windows and durations are drawn over the whole day.',
    ],
  };
}
