import { InvalidValueError } from '../../errors/index.js';
import {
  CLASS_COUNT,
  CONTROL_LENGTH,
  CONTROLLED_TIER_COUNT,
  type ControlVector,
  controlIndex,
  TIER_RED,
} from '../devices/index.js';
import { dfKw, efKw, enabledKw, erKw, tierDemandKw, totalDemandKw } from './state-view.js';

/**
 * The stochastic control law: from the estimate ŝ(t) and the goal g(t+1) for total enabled
 * demand, the switching probabilities every device applies.
 *
 * Derivation. Between two rounds enabled demand changes only by controller switches and by
 * exogenous disturbance w (overrides, thermostats, departures); refractory expiries move demand
 * between EF and ER or DR and DF, which does not change it. If each device of bucket b (a tier and
 * a flexible class) leaves EF with probability p_off,b and leaves DF with p_on,b, independently,
 *
 *   E[E(t+1)] = E(t) − Σ_b p_off,b |EF_b| + Σ_b p_on,b |DF_b| + E[w],
 *
 * linear in the probabilities, with variance Σ_b p(1−p) Σ_{a∈b} d_a², which is O(1/n) of the
 * squared total. Setting E[E(t+1)] = E(t) − κ (E(t) − g*) (κ = 1: dead-beat; κ < 1 damps noise and
 * unmodelled rebound) leaves one equation, Σ p_off |EF| − Σ p_on |DF| = κ (E − g*) =: X, with
 * 0 ≤ p ≤ 1. Its solutions form a polytope; the four constraints pick one lexicographically, by
 * spending the flexible demand (the budget) in order:
 *   1. tracking: X itself. If X > 0, shed from EF buckets in tier order green, yellow (red only in
 *      an emergency), and within a tier in class order (class 0 = fair and under the cycling limit,
 *      then capped, then unfair, then both), taking min(X, |EF_b|) from each: p_off,b = taken/|EF_b|.
 *      If X < 0, restore from DF in reverse tier order (red first) likewise. What is left of X
 *      when the budget is spent is the shortfall of the round (the goal is clipped beforehand to
 *      the long-run feasible range, so a shortfall only lasts until refractory timers expire).
 *   2. tier priority: shedding a tier while a lower tier still has enabled demand it could not
 *      shed (refractory ER) is counted as a violation; once lower-tier demand becomes flexible, a
 *      zero-sum swap restores the higher tier's DF and sheds the same kW of lower-tier EF.
 *   3. fairness: a zero-sum swap within each tier enables the devices disabled longer than the
 *      tier's mean (DF class 0) and disables the same kW of those disabled less (EF class 0), at
 *      a rate ρ of the smaller pool per round.
 *   4. cycling: never spent on purpose; capped devices sit in the dearer classes, so they are
 *      switched only when tracking or priority need them.
 * Swaps net to zero in expectation, so they leave the tracking equation satisfied.
 */
export interface ControlLawOptions {
  /** κ, the share of the tracking error removed per round */
  gain: number;
  /** ρ, share of the fair-swap pool swapped per round */
  fairnessSwapPerRound: number;
}

export interface ControlReport {
  goalKw: number;
  /** the goal after clipping to what the fleet can ever reach */
  targetKw: number;
  goalClipped: boolean;
  feasibleMinKw: number;
  feasibleMaxKw: number;
  /** tracking shed (positive) or restore (negative) the round could not find flexible demand for */
  shortfallKw: number;
  /** controlled tiers shed for tracking while a lower tier still had refractory enabled demand */
  tierOrderViolations: number;
  plannedShedKw: number;
  plannedRestoreKw: number;
}

export const newControlReport = (): ControlReport => ({
  goalKw: 0,
  targetKw: 0,
  goalClipped: false,
  feasibleMinKw: 0,
  feasibleMaxKw: 0,
  shortfallKw: 0,
  tierOrderViolations: 0,
  plannedShedKw: 0,
  plannedRestoreKw: 0,
});

export function checkControlLawOptions(o: ControlLawOptions): void {
  if (!(Number.isFinite(o.gain) && o.gain > 0 && o.gain <= 1))
    throw new InvalidValueError(`controller option gain: must lie in (0, 1], got ${o.gain}`);
  if (
    !(Number.isFinite(o.fairnessSwapPerRound) && o.fairnessSwapPerRound >= 0 && o.fairnessSwapPerRound <= 1)
  )
    throw new InvalidValueError(
      `controller option fairnessSwapPerRound: must lie in [0, 1], got ${o.fairnessSwapPerRound}`,
    );
}

/** Holds the scratch buffers of the law so a round allocates nothing. */
export class ControlLaw {
  private readonly offKw = new Float64Array(CONTROL_LENGTH);
  private readonly onKw = new Float64Array(CONTROL_LENGTH);
  private readonly leftEf = new Float64Array(CONTROL_LENGTH);
  private readonly leftDf = new Float64Array(CONTROL_LENGTH);

  constructor(readonly options: ControlLawOptions) {
    checkControlLawOptions(options);
  }

  compute(
    s: Float64Array,
    goalKw: number,
    emergency: boolean,
    out: ControlVector,
    report: ControlReport,
  ): void {
    // an infinite goal is merely out of range and is clipped like any other; NaN carries no intent
    if (Number.isNaN(goalKw))
      throw new InvalidValueError('controller goal goalKw: must be a number, got NaN');
    const shedTiers = emergency ? CONTROLLED_TIER_COUNT : TIER_RED;
    this.prepare(s);
    const total = totalDemandKw(s);
    let sheddable = 0;
    for (let t = 0; t < shedTiers; t++) sheddable += tierDemandKw(s, t);
    const minKw = total - sheddable;
    const target = Math.min(total, Math.max(minKw, goalKw));
    report.goalKw = goalKw;
    report.targetKw = target;
    report.goalClipped = target !== goalKw;
    report.feasibleMinKw = minKw;
    report.feasibleMaxKw = total;

    const x = this.options.gain * (enabledKw(s) - target);
    let shortfall = 0;
    report.tierOrderViolations = 0;
    if (x > 0) shortfall = this.shed(s, x, shedTiers, report);
    else if (x < 0) shortfall = -this.restore(-x);
    report.shortfallKw = shortfall;
    report.plannedShedKw = sum(this.offKw);
    report.plannedRestoreKw = sum(this.onKw);
    this.prioritySwaps();
    this.fairnessSwaps();
    for (let b = 0; b < CONTROL_LENGTH; b++) {
      const ef = this.leftEf[b] + this.offKw[b];
      const df = this.leftDf[b] + this.onKw[b];
      out.pOff[b] = ef > 0 ? Math.min(1, this.offKw[b] / ef) : 0;
      out.pOn[b] = df > 0 ? Math.min(1, this.onKw[b] / df) : 0;
    }
  }

  private prepare(s: Float64Array): void {
    for (let t = 0; t < CONTROLLED_TIER_COUNT; t++)
      for (let c = 0; c < CLASS_COUNT; c++) {
        const b = controlIndex(t, c);
        this.leftEf[b] = efKw(s, t, c);
        this.leftDf[b] = dfKw(s, t, c);
        this.offKw[b] = 0;
        this.onKw[b] = 0;
      }
  }

  /** Takes up to kw from a tier's EF in class order; returns what it took. */
  private takeEf(tier: number, kw: number): number {
    let taken = 0;
    for (let c = 0; c < CLASS_COUNT && taken < kw; c++) {
      const b = controlIndex(tier, c);
      const a = Math.min(kw - taken, this.leftEf[b]);
      this.leftEf[b] -= a;
      this.offKw[b] += a;
      taken += a;
    }
    return taken;
  }

  private takeDf(tier: number, kw: number): number {
    let taken = 0;
    for (let c = 0; c < CLASS_COUNT && taken < kw; c++) {
      const b = controlIndex(tier, c);
      const a = Math.min(kw - taken, this.leftDf[b]);
      this.leftDf[b] -= a;
      this.onKw[b] += a;
      taken += a;
    }
    return taken;
  }

  /** Returns the part of x no flexible demand was left for. */
  private shed(s: Float64Array, x: number, shedTiers: number, report: ControlReport): number {
    let left = x;
    for (let t = 0; t < shedTiers && left > 0; t++) {
      const taken = this.takeEf(t, left);
      if (taken > 0 && lowerTierStillEnabled(s, t)) report.tierOrderViolations++;
      left -= taken;
    }
    return left;
  }

  private restore(x: number): number {
    let left = x;
    for (let t = CONTROLLED_TIER_COUNT - 1; t >= 0 && left > 0; t--) left -= this.takeDf(t, left);
    return left;
  }

  private prioritySwaps(): void {
    for (let hi = CONTROLLED_TIER_COUNT - 1; hi > 0; hi--)
      for (let lo = 0; lo < hi; lo++) {
        const kw = Math.min(this.tierLeft(this.leftDf, hi), this.tierLeft(this.leftEf, lo));
        if (kw <= 0) continue;
        this.takeDf(hi, kw);
        this.takeEf(lo, kw);
      }
  }

  private fairnessSwaps(): void {
    const rho = this.options.fairnessSwapPerRound;
    if (rho === 0) return;
    for (let t = 0; t < CONTROLLED_TIER_COUNT; t++) {
      const b = controlIndex(t, 0);
      const kw = rho * Math.min(this.leftDf[b], this.leftEf[b]);
      if (kw <= 0) continue;
      this.leftDf[b] -= kw;
      this.onKw[b] += kw;
      this.leftEf[b] -= kw;
      this.offKw[b] += kw;
    }
  }

  private tierLeft(left: Float64Array, tier: number): number {
    let kw = 0;
    for (let c = 0; c < CLASS_COUNT; c++) kw += left[controlIndex(tier, c)];
    return kw;
  }
}

function lowerTierStillEnabled(s: Float64Array, tier: number): boolean {
  for (let lo = 0; lo < tier; lo++) if (erKw(s, lo) > 0) return true;
  return false;
}

function sum(xs: Float64Array): number {
  let a = 0;
  for (let i = 0; i < xs.length; i++) a += xs[i];
  return a;
}
