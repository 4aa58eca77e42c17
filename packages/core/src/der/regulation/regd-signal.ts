import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';

export interface RegDSignalOptions {
  seed: number;
  /** PJM's qualification test is 40 minutes */
  durationS?: number;
  /** 2 s (PJM's RegD dispatch) or 10 s */
  stepS?: number;
}

/**
 * A RegD-like (fast, dynamic) test signal in [−1, 1]: ramps of 10–60 s to random levels with
 * holds of up to 60 s between them. Each next level leans against the energy accumulated so far
 * (as PJM's conditional neutrality does), then the mean is removed and the signal scaled to reach
 * ±1 exactly, so it is energy-neutral over the test.
 */
export function regDSignal(options: RegDSignalOptions): Float64Array {
  const durationS = options.durationS ?? 2400;
  const stepS = options.stepS ?? 2;
  if (stepS !== 2 && stepS !== 10)
    throw new InvalidValueError(`RegD signal stepS: must be 2 or 10 s, got ${stepS}`);
  if (!(durationS >= 600 && durationS <= 86_400))
    throw new InvalidValueError(`RegD signal durationS: must lie in [600, 86400] s, got ${durationS}`);
  const r = new Prng(options.seed);
  const n = Math.round(durationS / stepS);
  const x = new Float64Array(n);
  let level = 0;
  let energy = 0;
  let k = 0;
  while (k < n) {
    const lean = Math.max(-0.6, Math.min(0.6, -energy / 300));
    const target = Math.max(-1, Math.min(1, lean + r.uniform(-1, 1)));
    const rampSteps = Math.max(1, Math.round(r.uniform(10, 60) / stepS));
    const holdSteps = Math.round(r.uniform(0, 60) / stepS);
    const from = level;
    for (let j = 1; j <= rampSteps && k < n; j++, k++) {
      level = from + ((target - from) * j) / rampSteps;
      x[k] = level;
      energy += level * stepS;
    }
    for (let j = 0; j < holdSteps && k < n; j++, k++) {
      x[k] = level;
      energy += level * stepS;
    }
  }
  let mean = 0;
  for (let j = 0; j < n; j++) mean += x[j];
  mean /= n;
  let peak = 0;
  for (let j = 0; j < n; j++) peak = Math.max(peak, Math.abs(x[j] - mean));
  for (let j = 0; j < n; j++) x[j] = (x[j] - mean) / peak;
  return x;
}
