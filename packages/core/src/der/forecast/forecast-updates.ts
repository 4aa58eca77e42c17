import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import { HOURS_PER_DAY } from '../../time/index.js';

/**
 * Forecasts as the liu-small seed writes them: ŷ_{t|t−k} made k hours ahead of hour t; updates
 * u_{t,k} = ŷ_{t|t−k+1} − ŷ_{t|t−k} as hour t comes one hour closer; errors
 * e_{t,k} = ŷ_{t|t−k} − y_t = −Σ_{j=1..k} u_{t,j} (with ŷ_{t|t} = y_t). With independent updates
 * the error variance at lead k is the sum of the update variances up to k.
 */

/**
 * Standard deviations of the updates u_{·,k}, k = 1..maxLead, estimated from a price history by
 * the errors of a seasonal forecaster that knows the prices up to t−k: the same hour a day
 * before, shifted by how far the latest known price is from its own value a day before.
 * Var(u_k) = Var(e_k) − Var(e_{k−1}), floored at zero.
 */
export function estimateUpdateStd(history: readonly number[], maxLead: number): number[] {
  const variance = [0];
  for (let k = 1; k <= maxLead; k++) {
    let sum = 0;
    let sq = 0;
    let n = 0;
    // the forecast is the same hour of the day before, corrected by what the last k hours showed
    const D = HOURS_PER_DAY;
    for (let t = D + k; t < history.length; t++) {
      const e = history[t - D] + (history[t - k] - history[t - k - D]) - history[t];
      sum += e;
      sq += e * e;
      n++;
    }
    if (n < 2) throw new InvalidValueError(`history: ${history.length} hours is too short for lead ${k}`);
    variance.push(Math.max(variance[k - 1], sq / n - (sum / n) ** 2));
  }
  return variance.slice(1).map((v, i) => Math.sqrt(Math.max(0, v - variance[i])));
}

/**
 * Forecast paths with that error structure around an actual price path: every update u_{t,k} is
 * drawn once, so a later forecast of the same hour refines an earlier one instead of redrawing
 * it, and the forecast of the present hour is the price itself. `forecastAt(h)` returns the
 * forecasts made at hour h of the hours h, h+1, … (leads beyond the estimated ones reuse the last).
 */
export function forecastPaths(
  actual: readonly number[],
  updateStd: readonly number[],
  seed: number,
): (h: number) => number[] {
  const r = new Prng(seed);
  const maxLead = actual.length;
  // cumulative error of hour t at lead k: −Σ_{j≤k} u_{t,j}
  const errors = actual.map(() => {
    const e = new Float64Array(maxLead + 1);
    for (let k = 1; k <= maxLead; k++)
      e[k] = e[k - 1] - updateStd[Math.min(k, updateStd.length) - 1] * r.normal();
    return e;
  });
  return (h) => actual.slice(h).map((y, i) => y + errors[h + i][i]);
}
