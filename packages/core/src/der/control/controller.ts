import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import {
  AGG_LENGTH,
  CONTROLLED_TIER_COUNT,
  type ControlVector,
  type Fleet,
  FleetStepper,
  newControlVector,
  newStepStats,
  reportFleet,
  type StepStats,
  TIER_COUNT,
} from '../devices/index.js';
import { ControlLaw, type ControlReport, newControlReport } from './control-law.js';
import { meanDisabledS, reduceTree } from './estimate.js';
import { enabledKw, enabledTierKw, tierDemandKw, totalDemandKw, uncontrolledKw } from './state-view.js';

export interface ControllerOptions {
  /** seconds per round */
  dtS: number;
  /** κ of the control law; 1 removes the whole error each round */
  gain?: number;
  /** share of aggregation groups that report each round (1: all) */
  sampleFraction?: number;
  fairnessSwapPerRound?: number;
  /** seed of the group sampling */
  seed?: number;
}

/** One round's outcome. The controller reuses this object; copy what you keep. */
export interface RoundResult {
  round: number;
  timeS: number;
  control: ControlReport;
  /** estimated enabled demand after the round (the truth when every group reports), kW */
  enabledKw: number;
  enabledByTierKw: Float64Array;
  uncontrolledKw: number;
  totalDemandKw: number;
  /** enabled − clipped goal, kW */
  trackingErrorKw: number;
  steps: StepStats;
}

/**
 * The feedback loop of the platform: aggregate, estimate, broadcast goal and estimate, let every
 * device set its control vector and draw, repeat. A round allocates nothing.
 */
export class FleetController {
  readonly fleet: Fleet;
  readonly dtS: number;
  readonly estimate = new Float64Array(AGG_LENGTH);
  private readonly stepper: FleetStepper;
  private readonly law: ControlLaw;
  private readonly vector: ControlVector;
  private readonly sampleFraction: number;
  private readonly sampler: Prng;
  private readonly result: RoundResult;

  constructor(fleet: Fleet, options: ControllerOptions) {
    const sampleFraction = options.sampleFraction ?? 1;
    if (!(Number.isFinite(sampleFraction) && sampleFraction > 0 && sampleFraction <= 1))
      throw new InvalidValueError(
        `controller option sampleFraction: must lie in (0, 1], got ${sampleFraction}`,
      );
    this.fleet = fleet;
    this.dtS = options.dtS;
    this.stepper = new FleetStepper(fleet, options.dtS);
    this.law = new ControlLaw({
      gain: options.gain ?? 1,
      fairnessSwapPerRound: options.fairnessSwapPerRound ?? 0.02,
    });
    this.sampleFraction = sampleFraction;
    this.sampler = new Prng(options.seed ?? 1);
    this.vector = newControlVector(fleet);
    this.result = {
      round: 0,
      timeS: fleet.timeS,
      control: newControlReport(),
      enabledKw: 0,
      enabledByTierKw: new Float64Array(TIER_COUNT),
      uncontrolledKw: 0,
      totalDemandKw: 0,
      trackingErrorKw: 0,
      steps: newStepStats(),
    };
    reportFleet(fleet, this.vector.groupReports);
    this.absorbReports();
  }

  /** Estimated enabled demand now, kW. */
  get enabledKw(): number {
    return enabledKw(this.estimate);
  }

  /** Estimated demand with every device enabled, kW. */
  get totalDemandKw(): number {
    return totalDemandKw(this.estimate);
  }

  /** Estimated demand of one tier with all its devices enabled, kW. */
  tierDemandKw(tier: number): number {
    return tierDemandKw(this.estimate, tier);
  }

  /** One round towards `goalKw` of total enabled demand; red is shed only in an emergency. */
  round(goalKw: number, emergency = false): RoundResult {
    const r = this.result;
    this.law.compute(this.estimate, goalKw, emergency, this.vector, r.control);
    this.sampleGroups();
    this.stepper.step(this.vector, r.steps);
    this.absorbReports();
    r.round++;
    r.timeS = this.fleet.timeS;
    r.enabledKw = enabledKw(this.estimate);
    for (let t = 0; t < TIER_COUNT; t++) r.enabledByTierKw[t] = enabledTierKw(this.estimate, t);
    r.uncontrolledKw = uncontrolledKw(this.estimate);
    r.totalDemandKw = totalDemandKw(this.estimate);
    r.trackingErrorKw = r.enabledKw - r.control.targetKw;
    return r;
  }

  private absorbReports(): void {
    reduceTree(this.fleet, this.estimate);
    for (let t = 0; t < CONTROLLED_TIER_COUNT; t++)
      this.vector.meanDisabledS[t] = meanDisabledS(this.estimate, t);
  }

  private sampleGroups(): void {
    if (this.sampleFraction === 1) return;
    const reports = this.vector.groupReports;
    let any = 0;
    for (let g = 0; g < reports.length; g++)
      any |= reports[g] = this.sampler.next() < this.sampleFraction ? 1 : 0;
    if (any === 0) reports[this.sampler.int(reports.length)] = 1;
  }
}
