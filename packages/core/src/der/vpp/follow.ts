import { InvalidValueError } from '../../errors/index.js';
import type { FleetController, RoundResult } from '../control/index.js';
import { type PerformanceScore, pjmPerformanceScore } from '../regulation/index.js';

/**
 * A load VPP delivers reduction against its own uncontrolled baseline, which the state estimate
 * carries (total demand with every device enabled); so goals are set as baseline − reduction and
 * follow the baseline as it drifts (thermostats, rebound, departures).
 */
export const reductionKw = (c: FleetController): number => c.totalDemandKw - c.enabledKw;

function roundsPerSample(c: FleetController, stepS: number): number {
  const k = Math.round(stepS / c.dtS);
  if (!(k >= 1 && Math.abs(k * c.dtS - stepS) < 1e-9))
    throw new InvalidValueError(`VPP stepS: ${stepS} s must be a whole number of ${c.dtS} s rounds`);
  return k;
}

export interface RegulationRun {
  signal: ArrayLike<number>;
  /** delivered regulation in signal units: (reduction − midpoint)/capacity */
  response: Float64Array;
  goalKw: Float64Array;
  enabledKw: Float64Array;
  score: PerformanceScore;
  maxTierOrderViolations: number;
}

/**
 * Follows a regulation signal s ∈ [−1, 1]: reduction = midpointKw + s·capacityKw (positive s asks
 * for more generation, i.e. less load) below a baseline fixed for the test, as PJM tests loads:
 * the enabled demand when the test starts (call it before any shedding). The midpoint must be at
 * least the capacity so a full regulation-down signal does not ask for negative reduction.
 */
export function followRegulation(
  c: FleetController,
  signal: ArrayLike<number>,
  stepS: number,
  capacityKw: number,
  midpointKw = capacityKw,
  baselineKw = c.enabledKw,
  /** sees every controller round (sample k): for series a caller records beside the run's own */
  onRound?: (k: number, round: RoundResult) => void,
): RegulationRun {
  if (!(capacityKw > 0))
    throw new InvalidValueError(`VPP regulation capacityKw: must be positive, got ${capacityKw}`);
  if (!(midpointKw >= capacityKw))
    throw new InvalidValueError(
      `VPP regulation midpointKw: must be at least capacityKw (${capacityKw}), got ${midpointKw}`,
    );
  const per = roundsPerSample(c, stepS);
  const n = signal.length;
  const response = new Float64Array(n);
  const goalKw = new Float64Array(n);
  const enabledKw = new Float64Array(n);
  let maxViolations = 0;
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < per; j++) {
      const goal = baselineKw - (midpointKw + signal[k] * capacityKw);
      const r = c.round(goal);
      onRound?.(k, r);
      goalKw[k] = goal;
      maxViolations = Math.max(maxViolations, r.control.tierOrderViolations);
    }
    enabledKw[k] = c.enabledKw;
    response[k] = (baselineKw - c.enabledKw - midpointKw) / capacityKw;
  }
  return {
    signal,
    response,
    goalKw,
    enabledKw,
    score: pjmPerformanceScore(signal, response, stepS),
    maxTierOrderViolations: maxViolations,
  };
}

export interface DispatchInterval {
  targetReductionKw: number;
  durationS: number;
}

export interface DispatchDelivery {
  targetReductionKw: number;
  /** mean delivered reduction over the interval */
  deliveredReductionKw: number;
  deliveredKwh: number;
  targetKwh: number;
  /** delivered / target energy, capped at 1 */
  deliveryRatio: number;
}

/** Holds each dispatched reduction for its interval and reports what was delivered. */
export function trackDispatch(
  c: FleetController,
  intervals: readonly DispatchInterval[],
): DispatchDelivery[] {
  return intervals.map((iv) => {
    if (!(iv.targetReductionKw >= 0))
      throw new InvalidValueError(
        `VPP dispatch targetReductionKw: must be non-negative, got ${iv.targetReductionKw}`,
      );
    const rounds = roundsPerSample(c, iv.durationS);
    let sum = 0;
    for (let k = 0; k < rounds; k++) {
      c.round(c.totalDemandKw - iv.targetReductionKw);
      sum += reductionKw(c);
    }
    const delivered = sum / rounds;
    const hours = iv.durationS / 3600;
    const targetKwh = iv.targetReductionKw * hours;
    const deliveredKwh = delivered * hours;
    return {
      targetReductionKw: iv.targetReductionKw,
      deliveredReductionKw: delivered,
      deliveredKwh,
      targetKwh,
      deliveryRatio: targetKwh > 0 ? Math.min(1, deliveredKwh / targetKwh) : 1,
    };
  });
}
