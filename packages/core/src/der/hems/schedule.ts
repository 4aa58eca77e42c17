import { InvalidValueError } from '../../errors/index.js';
/**
 * Appliance scheduling against price forecasts (Liu and Small; Horta et al. §4.2). A job must run
 * L of the next H hours; uninterruptible jobs run L consecutive hours, interruptible ones any L.
 * `forecast(h)` gives, at hour h of the window, the expected prices of hours h..H−1 as known then
 * (forecasts improve as the hours come closer); `prices` is the path that actually happens.
 */
export interface Job {
  windowHours: number;
  durationHours: number;
  interruptible: boolean;
  /** energy per running hour, kWh */
  kwh: number;
}

export type Forecast = (hour: number) => readonly number[];

export interface Outcome {
  /** hours in which the job ran */
  hours: number[];
  /** cost on the realized prices */
  cost: number;
}

function check(job: Job, prices: readonly number[]): void {
  const { windowHours: H, durationHours: L } = job;
  if (!(Number.isInteger(H) && Number.isInteger(L) && L >= 0 && L <= H))
    throw new InvalidValueError(
      `job: durationHours ${L} must be a whole number of hours within the window (windowHours ${H})`,
    );
  if (prices.length < H)
    throw new InvalidValueError(`prices: ${prices.length} hours given, the window has ${H}`);
}

const costOf = (job: Job, hours: number[], prices: readonly number[]) =>
  hours.reduce((a, h) => a + prices[h] * job.kwh, 0);

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** Normal: start at once and run through. */
export function runNow(job: Job, prices: readonly number[]): Outcome {
  check(job, prices);
  const hours = range(0, job.durationHours);
  return { hours, cost: costOf(job, hours, prices) };
}

/**
 * Prediction. Uninterruptible: start at the hour whose L-hour block has the least expected cost
 * on the forecast made at the start of the window. Interruptible: every hour, with the forecast
 * of that hour, run if the price now is at most the hurdle V(H−1, L) − V(H−1, L−1) of the
 * dynamic programme V(H, L) = min{E[P_h] + V(H−1, L−1), V(H−1, L)}, V(·, 0) = 0, and V(H, L) = ∞
 * for L > H: i.e. run now exactly when doing so costs no more, in expectation, than waiting.
 */
export function predict(job: Job, prices: readonly number[], forecast: Forecast): Outcome {
  check(job, prices);
  const { windowHours: H, durationHours: L } = job;
  if (!job.interruptible) {
    const f = forecast(0);
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let s = 0; s + L <= H; s++) {
      let c = 0;
      for (let k = 0; k < L; k++) c += f[s + k];
      if (c < bestCost - 1e-12) {
        bestCost = c;
        best = s;
      }
    }
    const hours = range(best, L);
    return { hours, cost: costOf(job, hours, prices) };
  }
  const hours: number[] = [];
  let left = L;
  for (let h = 0; h < H && left > 0; h++) {
    const expected = forecast(h).slice(0, H - h);
    // the realized price of this hour is known when it is decided
    expected[0] = prices[h];
    const later = expectedCosts(expected.slice(1), left);
    const runNowCost = prices[h] + later[left - 1];
    if (runNowCost <= later[left] + 1e-12) {
      hours.push(h);
      left--;
    }
  }
  return { hours, cost: costOf(job, hours, prices) };
}

/**
 * V(n, l) for l = 0..maxL over the n hours of `expected` (the least expected cost of running l
 * of them), returned for n = expected.length: the hurdle rule's value function.
 */
export function expectedCosts(expected: readonly number[], maxL: number): number[] {
  let v = Array.from({ length: maxL + 1 }, (_, l) => (l === 0 ? 0 : Number.POSITIVE_INFINITY));
  // build from the last hour backwards: V over hours i..end
  for (let i = expected.length - 1; i >= 0; i--) {
    const next = v;
    v = next.map((wait, l) => (l === 0 ? 0 : Math.min(expected[i] + next[l - 1], wait)));
  }
  return v;
}

/** Cost acceptance: start as soon as the forecast cost of running through is at most cMax; at the last possible start otherwise. */
export function acceptCost(job: Job, prices: readonly number[], forecast: Forecast, cMax: number): Outcome {
  check(job, prices);
  const { windowHours: H, durationHours: L } = job;
  let start = H - L;
  for (let s = 0; s + L <= H; s++) {
    const f = forecast(s);
    let c = prices[s];
    for (let k = 1; k < L; k++) c += f[k];
    if (c * job.kwh <= cMax) {
      start = s;
      break;
    }
  }
  const hours = range(start, L);
  return { hours, cost: costOf(job, hours, prices) };
}

/** Price acceptance: run in any hour whose price is at most pMax (uninterruptible: start then), forced when time runs out. */
export function acceptPrice(job: Job, prices: readonly number[], pMax: number): Outcome {
  check(job, prices);
  const { windowHours: H, durationHours: L } = job;
  if (!job.interruptible) {
    let start = H - L;
    for (let s = 0; s + L <= H; s++)
      if (prices[s] <= pMax) {
        start = s;
        break;
      }
    const hours = range(start, L);
    return { hours, cost: costOf(job, hours, prices) };
  }
  const hours: number[] = [];
  for (let h = 0; h < H && hours.length < L; h++)
    if (prices[h] <= pMax || H - h <= L - hours.length) hours.push(h);
  return { hours, cost: costOf(job, hours, prices) };
}
