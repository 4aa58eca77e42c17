import { InvalidValueError } from '../../errors/index.js';

/**
 * Many jobs on one day's prices at once, for aggregators scheduling whole fleets. A day has at
 * most 32 hours so that a job's running hours fit one bit mask. The day's forecasts are shared by
 * every job, so every decision that depends only on the hour, the window's end and the hours
 * still to run is taken once for the day and looked up per job; results equal runNow, predict,
 * acceptCost and acceptPrice run job by job on each job's window (see batch.test.ts).
 */
export interface JobBatch {
  /** the hour of the day each job's window opens */
  earliestHour: Uint8Array;
  windowHours: Uint8Array;
  durationHours: Uint8Array;
  /** 1 where the job may pause between hours */
  interruptible: Uint8Array;
  /** energy per running hour, kWh */
  kwh: Float64Array;
  /** cost acceptance's cap on the job's cost, or price acceptance's P_max; unused otherwise */
  limit?: Float64Array;
}

/** A batch of n jobs, every field zero, for the caller to fill. */
export function emptyJobBatch(n: number): Required<JobBatch> {
  return {
    earliestHour: new Uint8Array(n),
    windowHours: new Uint8Array(n),
    durationHours: new Uint8Array(n),
    interruptible: new Uint8Array(n),
    kwh: new Float64Array(n),
    limit: new Float64Array(n),
  };
}

export type BatchPattern = 'normal' | 'prediction' | 'costAcceptance' | 'priceAcceptance';

export interface BatchSchedule {
  /** bit h set where the job runs in hour h of the day */
  hoursMask: Uint32Array;
  /** the job's cost on the realized prices */
  cost: Float64Array;
}

/** Forecasts made at hour h of the day for the hours h, h+1, … (index 0 is hour h). */
export type DayForecast = (hour: number) => readonly number[];

const MAX_HOURS = 32;

function checkBatch(jobs: JobBatch, hours: number, pattern: BatchPattern): number {
  const n = jobs.earliestHour.length;
  for (const [field, a] of Object.entries(jobs) as [string, ArrayLike<number> | undefined][])
    if (a !== undefined && a.length !== n)
      throw new InvalidValueError(`job batch: ${field} has ${a.length} entries, earliestHour ${n}`, {
        details: { field },
      });
  const needsLimit = pattern === 'costAcceptance' || pattern === 'priceAcceptance';
  if (needsLimit && jobs.limit === undefined)
    throw new InvalidValueError(`job batch: ${pattern} needs each job's limit`, {
      details: { field: 'limit' },
    });
  for (let j = 0; j < n; j++) {
    const s = jobs.earliestHour[j];
    const w = jobs.windowHours[j];
    if (s + w > hours || jobs.durationHours[j] > w)
      throw new InvalidValueError(
        `job batch: job #${j} (duration ${jobs.durationHours[j]} h, window ${w} h from hour ${s}) does not fit the ${hours}-hour day`,
        { details: { job: j } },
      );
    if (!Number.isFinite(jobs.kwh[j]) || (needsLimit && Number.isNaN(jobs.limit![j])))
      throw new InvalidValueError(`job batch: job #${j} has no finite energy or limit`, {
        details: { job: j },
      });
  }
  return n;
}

/** The forecasts as one triangular table: row h holds forecastAt(h) for hours h..hours−1. */
function forecastTable(forecastAt: DayForecast, hours: number): Float64Array[] {
  return Array.from({ length: hours }, (_, h) => {
    const f = forecastAt(h);
    if (f.length < hours - h)
      throw new InvalidValueError(
        `forecast made at hour ${h} covers ${f.length} hours, ${hours - h} are left`,
        {
          details: { hour: h },
        },
      );
    return Float64Array.from(f.slice(0, hours - h));
  });
}

/**
 * Uninterruptible prediction: for each window (start s, length W) and duration L, the start of
 * the least-cost block on the forecast made at s, scanned in the order predict scans (the earliest
 * of equal blocks wins). Growing W adds one candidate start, so the table fills incrementally.
 */
function bestBlockStarts(table: Float64Array[], hours: number): Uint8Array {
  const best = new Uint8Array(hours * (hours + 1) * (hours + 1));
  for (let s = 0; s < hours; s++) {
    const f = table[s];
    const n = f.length;
    // block[st * (n + 1) + L]: the forecast cost of L hours from st, summed in predict's order
    const block = new Float64Array(n * (n + 1));
    for (let st = 0; st < n; st++)
      for (let L = 1; st + L <= n; L++) block[st * (n + 1) + L] = block[st * (n + 1) + L - 1] + f[st + L - 1];
    for (let L = 0; L <= n; L++) {
      let bestStart = 0;
      let bestCost = Number.POSITIVE_INFINITY;
      for (let W = L; W <= n; W++) {
        const st = W - L;
        const c = block[st * (n + 1) + L];
        if (c < bestCost - 1e-12) {
          bestCost = c;
          bestStart = st;
        }
        best[(s * (hours + 1) + W) * (hours + 1) + L] = s + bestStart;
      }
    }
  }
  return best;
}

/**
 * Interruptible prediction: whether to run in hour t with `left` hours to go in a window ending
 * at `end`, by the hurdle rule on the forecast made at t — the decision depends on nothing else.
 */
function hurdleDecisions(table: Float64Array[], prices: readonly number[], hours: number): Uint8Array {
  const run = new Uint8Array(hours * (hours + 1) * (hours + 1));
  const v = new Float64Array(hours + 1);
  const next = new Float64Array(hours + 1);
  for (let t = 0; t < hours; t++) {
    const f = table[t];
    for (let end = t + 1; end <= hours; end++) {
      // V over the forecast hours t+1..end−1, built backwards as expectedCosts builds it
      v.fill(Number.POSITIVE_INFINITY);
      v[0] = 0;
      for (let i = end - t - 1; i >= 1; i--) {
        next.set(v);
        for (let l = 1; l <= hours; l++) v[l] = Math.min(f[i] + next[l - 1], next[l]);
      }
      const base = (t * (hours + 1) + end) * (hours + 1);
      for (let left = 1; left <= end - t; left++)
        run[base + left] = prices[t] + v[left - 1] <= v[left] + 1e-12 ? 1 : 0;
    }
  }
  return run;
}

/** prices[t] plus the forecast made at t of the next L−1 hours: cost acceptance's test, per (t, L). */
function runThroughCosts(table: Float64Array[], prices: readonly number[], hours: number): Float64Array {
  const c = new Float64Array(hours * (hours + 1));
  for (let t = 0; t < hours; t++) {
    let sum = prices[t];
    c[t * (hours + 1) + 1] = sum;
    for (let L = 2; t + L <= hours; L++) {
      sum += table[t][L - 1];
      c[t * (hours + 1) + L] = sum;
    }
  }
  return c;
}

function block(
  out: BatchSchedule,
  j: number,
  start: number,
  L: number,
  prices: readonly number[],
  kwh: number,
) {
  let mask = 0;
  let cost = 0;
  for (let h = start; h < start + L; h++) {
    mask |= 1 << h;
    cost += prices[h] * kwh;
  }
  out.hoursMask[j] = mask >>> 0;
  out.cost[j] = cost;
}

/** Schedules every job of the batch with one pattern; see runNow, predict, acceptCost, acceptPrice. */
export function scheduleBatch(
  pattern: BatchPattern,
  jobs: JobBatch,
  prices: readonly number[],
  forecastAt: DayForecast,
): BatchSchedule {
  const hours = prices.length;
  if (hours > MAX_HOURS)
    throw new InvalidValueError(`job batch: a day of ${hours} hours; at most ${MAX_HOURS}`, {
      details: { field: 'prices' },
    });
  const n = checkBatch(jobs, hours, pattern);
  const out: BatchSchedule = { hoursMask: new Uint32Array(n), cost: new Float64Array(n) };
  const table = pattern === 'normal' || pattern === 'priceAcceptance' ? [] : forecastTable(forecastAt, hours);
  const stride = hours + 1;
  const best = pattern === 'prediction' ? bestBlockStarts(table, hours) : undefined;
  const run = pattern === 'prediction' ? hurdleDecisions(table, prices, hours) : undefined;
  const through = pattern === 'costAcceptance' ? runThroughCosts(table, prices, hours) : undefined;
  const { earliestHour, windowHours, durationHours, interruptible, kwh, limit } = jobs;
  for (let j = 0; j < n; j++) {
    const s = earliestHour[j];
    const W = windowHours[j];
    const L = durationHours[j];
    const end = s + W;
    if (pattern === 'normal') block(out, j, s, L, prices, kwh[j]);
    else if (pattern === 'prediction' && !interruptible[j])
      block(out, j, best![(s * stride + W) * stride + L], L, prices, kwh[j]);
    else if (pattern === 'costAcceptance') {
      let start = end - L;
      for (let st = s; st + L <= end; st++) {
        const c = L === 0 ? 0 : through![st * stride + L];
        if (c * kwh[j] <= limit![j]) {
          start = st;
          break;
        }
      }
      block(out, j, start, L, prices, kwh[j]);
    } else if (pattern === 'priceAcceptance' && !interruptible[j]) {
      let start = end - L;
      for (let st = s; st + L <= end; st++)
        if (prices[st] <= limit![j]) {
          start = st;
          break;
        }
      block(out, j, start, L, prices, kwh[j]);
    } else {
      // interruptible, hour by hour
      let left = L;
      let mask = 0;
      let cost = 0;
      const pMax = pattern === 'priceAcceptance' ? limit![j] : 0;
      for (let t = s; t < end && left > 0; t++) {
        const go =
          pattern === 'prediction'
            ? run![(t * stride + end) * stride + left] === 1
            : prices[t] <= pMax || end - t <= left;
        if (go) {
          mask |= 1 << t;
          cost += prices[t] * kwh[j];
          left--;
        }
      }
      out.hoursMask[j] = mask >>> 0;
      out.cost[j] = cost;
    }
  }
  return out;
}

/** The hours of a mask, ascending. */
export function maskHours(mask: number): number[] {
  const out: number[] = [];
  for (let h = 0; h < MAX_HOURS; h++) if ((mask >>> h) & 1) out.push(h);
  return out;
}
