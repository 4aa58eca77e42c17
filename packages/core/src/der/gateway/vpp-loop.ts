import {
  ControlLaw,
  type ControlReport,
  enabledKw,
  newControlReport,
  totalDemandKw,
} from '../control/index.js';
import { AGG_LENGTH, AGG_REPORTING, newControlVector } from '../devices/index.js';
import { type Broadcast, encodeBroadcast } from './broadcast.js';
import type { DeviceStates } from './device-states.js';

/** Stands for "no event" on the wire, where JSON has no infinity; the law clips it to all enabled. */
export const NO_GOAL_KW = 1e12;

/**
 * A round's goal: enabled demand in kW (Infinity: no event), or a share of the demand the usable
 * devices report, enabled or not (a VPP whose goal is set for a larger fleet passes its share).
 */
export type LoopGoal = number | { share: number };

export interface LoopRound {
  round: number;
  payload: string;
  /** the goal broadcast, kW (NO_GOAL_KW: no event) */
  goalKw: number;
  /** the estimate broadcast with it: enabled demand of the usable devices, kW */
  estimatedEnabledKw: number;
  /** devices counted in the estimate */
  reporting: number;
  /** what the law makes of the goal (clipped to the feasible range), as every device will */
  control: ControlReport;
}

/**
 * The VPP's side of the loop over a network: aggregate the devices' last reports, broadcast the
 * estimate and the goal. The devices compute the law themselves; the loop runs it too, to know
 * the target it set (the clipped goal) and to log it.
 */
export class VppLoop {
  round = 0;
  private readonly estimate = new Float64Array(AGG_LENGTH);
  private readonly law: ControlLaw;
  private readonly vector = newControlVector({ groupCount: 1 });
  private readonly report = newControlReport();

  constructor(
    readonly states: DeviceStates,
    readonly vpp: string,
    options: { gain?: number; fairnessSwapPerRound?: number } = {},
  ) {
    this.law = new ControlLaw({
      gain: options.gain ?? 1,
      fairnessSwapPerRound: options.fairnessSwapPerRound ?? 0.02,
    });
  }

  /** Starts the next round towards `goal`: the broadcast to publish and what it says. */
  next(target: LoopGoal, emergency = false): LoopRound {
    this.states.aggregate(this.vpp, this.round, this.estimate);
    const goalKw = typeof target === 'number' ? target : target.share * totalDemandKw(this.estimate);
    const goal = Number.isFinite(goalKw) ? goalKw : NO_GOAL_KW;
    this.law.compute(this.estimate, goal, emergency, this.vector, this.report);
    this.round++;
    const b: Broadcast = { round: this.round, goalKw: goal, emergency, estimate: this.estimate };
    return {
      round: this.round,
      payload: encodeBroadcast(b),
      goalKw: goal,
      estimatedEnabledKw: enabledKw(this.estimate),
      reporting: this.estimate[AGG_REPORTING],
      control: { ...this.report },
    };
  }
}
