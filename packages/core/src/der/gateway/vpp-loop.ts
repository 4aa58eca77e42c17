import { ControlLaw, type ControlReport, enabledKw, newControlReport } from '../control/index.js';
import { AGG_LENGTH, AGG_REPORTING, newControlVector } from '../devices/index.js';
import { type Broadcast, encodeBroadcast } from './broadcast.js';
import type { DeviceStates } from './device-states.js';

/** Stands for "no event" on the wire, where JSON has no infinity; the law clips it to all enabled. */
export const NO_GOAL_KW = 1e12;

export interface LoopRound {
  round: number;
  payload: string;
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

  /** Starts the next round towards `goalKw`: the broadcast to publish and what it says. */
  next(goalKw: number, emergency = false): LoopRound {
    this.states.aggregate(this.vpp, this.round, this.estimate);
    const goal = Number.isFinite(goalKw) ? goalKw : NO_GOAL_KW;
    this.law.compute(this.estimate, goal, emergency, this.vector, this.report);
    this.round++;
    const b: Broadcast = { round: this.round, goalKw: goal, emergency, estimate: this.estimate };
    return {
      round: this.round,
      payload: encodeBroadcast(b),
      estimatedEnabledKw: enabledKw(this.estimate),
      reporting: this.estimate[AGG_REPORTING],
      control: { ...this.report },
    };
  }
}
