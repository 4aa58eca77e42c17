import { TIER_COUNT } from '../devices/index.js';
import type { FleetController } from './controller.js';
import type { GoalProfile } from './goals.js';

/** A run's record, one entry per round. */
export interface Trajectory {
  timeS: Float64Array;
  goalKw: Float64Array;
  targetKw: Float64Array;
  enabledKw: Float64Array;
  /** enabled demand of tier t at round k is enabledByTierKw[k * 4 + t] */
  enabledByTierKw: Float64Array;
  uncontrolledKw: Float64Array;
  tierOrderViolations: Int32Array;
  goalClipped: Uint8Array;
  overrides: Int32Array;
  switches: Int32Array;
}

/** Runs `rounds` rounds following `goal` (evaluated at each round's end time) and records them. */
export function runTrajectory(controller: FleetController, goal: GoalProfile, rounds: number): Trajectory {
  const tr: Trajectory = {
    timeS: new Float64Array(rounds),
    goalKw: new Float64Array(rounds),
    targetKw: new Float64Array(rounds),
    enabledKw: new Float64Array(rounds),
    enabledByTierKw: new Float64Array(rounds * TIER_COUNT),
    uncontrolledKw: new Float64Array(rounds),
    tierOrderViolations: new Int32Array(rounds),
    goalClipped: new Uint8Array(rounds),
    overrides: new Int32Array(rounds),
    switches: new Int32Array(rounds),
  };
  for (let k = 0; k < rounds; k++) {
    const g = goal(controller.fleet.timeS + controller.dtS);
    const r = controller.round(g);
    tr.timeS[k] = r.timeS;
    tr.goalKw[k] = g;
    tr.targetKw[k] = r.control.targetKw;
    tr.enabledKw[k] = r.enabledKw;
    for (let t = 0; t < TIER_COUNT; t++) tr.enabledByTierKw[k * TIER_COUNT + t] = r.enabledByTierKw[t];
    tr.uncontrolledKw[k] = r.uncontrolledKw;
    tr.tierOrderViolations[k] = r.control.tierOrderViolations;
    tr.goalClipped[k] = r.control.goalClipped ? 1 : 0;
    tr.overrides[k] = r.steps.overrides;
    tr.switches[k] = r.steps.switchesOff + r.steps.switchesOn;
  }
  return tr;
}

/** Root-mean-square of (enabled − target)/target over rounds [from, to), percent. */
export function rmsTrackingErrorPct(tr: Trajectory, from = 0, to = tr.timeS.length): number {
  let s = 0;
  let n = 0;
  for (let k = from; k < to; k++) {
    if (tr.targetKw[k] <= 0) continue;
    const e = (tr.enabledKw[k] - tr.targetKw[k]) / tr.targetKw[k];
    s += e * e;
    n++;
  }
  return n > 0 ? 100 * Math.sqrt(s / n) : 0;
}
