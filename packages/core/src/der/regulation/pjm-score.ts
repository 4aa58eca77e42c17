import { InvalidValueError } from '../../errors/index.js';

/** PJM Manual 12 performance score components, each in [0, 1]. */
export interface PerformanceScore {
  accuracy: number;
  delay: number;
  precision: number;
  composite: number;
  /** the response delay at which correlation peaks, seconds */
  delayS: number;
}

/** the longest response delay PJM's accuracy search tries, s; a score needs more than twice it of samples */
export const PJM_MAX_DELAY_S = 300;
const MAX_DELAY_S = PJM_MAX_DELAY_S;
const DELAY_STEP_S = 10;

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  const n = a.length - shift;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k];
    mb += b[k + shift];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const x = a[k] - ma;
    const y = b[k + shift] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  // a flat response carries no information about the signal: no correlation
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * PJM's regulation performance score of a response to a signal sampled every stepS seconds.
 * Accuracy: the largest correlation of signal(t) with response(t + δ) for δ = 0, 10 s, …, 5 min.
 * Delay: |(δ* − 5 min)/5 min| at that largest correlation (the earliest δ on ties).
 * Precision: 1 − mean|response − signal| / mean|signal|, without shift.
 * Composite: the mean of the three. Negative correlations and precisions count as 0.
 */
export function pjmPerformanceScore(
  signal: ArrayLike<number>,
  response: ArrayLike<number>,
  stepS: number,
): PerformanceScore {
  if (signal.length !== response.length)
    throw new InvalidValueError(
      `regulation score response: length ${response.length} differs from the signal's ${signal.length}`,
    );
  if (!(stepS > 0 && DELAY_STEP_S % stepS === 0))
    throw new InvalidValueError(`regulation score stepS: must divide ${DELAY_STEP_S} s, got ${stepS}`);
  const maxShift = MAX_DELAY_S / stepS;
  if (signal.length <= 2 * maxShift)
    throw new InvalidValueError(
      `regulation score signal: ${signal.length} samples is too short for delays up to ${MAX_DELAY_S} s`,
    );
  let best = Number.NEGATIVE_INFINITY;
  let bestShift = 0;
  for (let shift = 0; shift <= maxShift; shift += DELAY_STEP_S / stepS) {
    const r = pearson(signal, response, shift);
    if (r > best + 1e-12) {
      best = r;
      bestShift = shift;
    }
  }
  const delayS = bestShift * stepS;
  let err = 0;
  let mag = 0;
  for (let k = 0; k < signal.length; k++) {
    err += Math.abs(response[k] - signal[k]);
    mag += Math.abs(signal[k]);
  }
  if (!(mag > 0)) throw new InvalidValueError('regulation score signal: is zero throughout');
  const accuracy = Math.max(0, Math.min(1, best));
  const delay = Math.abs((delayS - MAX_DELAY_S) / MAX_DELAY_S);
  const precision = Math.max(0, 1 - err / mag);
  return { accuracy, delay, precision, composite: (accuracy + delay + precision) / 3, delayS };
}
