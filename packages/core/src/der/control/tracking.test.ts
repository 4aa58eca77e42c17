import { describe, expect, it } from 'vitest';
import { buildFleet, defaultFleetSpec, enabledDemandKw } from '../devices/index.js';
import { FleetController, rampGoal, rmsTrackingErrorPct, runTrajectory, stepGoal } from './index.js';

/** Rounds allowed between a goal step and being within ±1% of it. */
const SETTLE_ROUNDS = 3;

describe('goal tracking, 100,000 devices', () => {
  it('reaches a step within 3 rounds, stays within ±1%, then follows a ramp', () => {
    const fleet = buildFleet(defaultFleetSpec(100_000), 21);
    const c = new FleetController(fleet, { dtS: 2 });
    runTrajectory(c, () => Number.POSITIVE_INFINITY, 5);
    const e0 = c.enabledKw;
    expect(e0).toBeCloseTo(enabledDemandKw(fleet), 3);

    const step = runTrajectory(c, stepGoal(e0, 0.75 * e0, 0), 150);
    for (let k = SETTLE_ROUNDS - 1; k < 150; k++)
      expect(Math.abs(step.enabledKw[k] / step.targetKw[k] - 1)).toBeLessThan(0.01);
    // the estimate is the fleet's true enabled demand when every group reports
    expect(enabledDemandKw(fleet)).toBeCloseTo(c.enabledKw, 3);

    const start = fleet.timeS;
    const ramp = runTrajectory(c, rampGoal(0.75 * e0, 0.6 * e0, start, 200), 150);
    for (let k = 0; k < 150; k++)
      expect(Math.abs(ramp.enabledKw[k] / ramp.targetKw[k] - 1)).toBeLessThan(0.01);
    expect(ramp.targetKw[149]).toBeCloseTo(0.6 * e0, 6);
    expect(rmsTrackingErrorPct(ramp)).toBeLessThan(0.3);
  });
});

describe('infeasible goals', () => {
  it('clips goals to the feasible range and reports it, never producing NaN', () => {
    const fleet = buildFleet(defaultFleetSpec(5_000), 4);
    const c = new FleetController(fleet, { dtS: 2 });
    const low = c.round(0);
    expect(low.control.goalClipped).toBe(true);
    expect(low.control.targetKw).toBeGreaterThan(0);
    expect(low.control.targetKw).toBeCloseTo(low.control.feasibleMinKw, 9);
    const high = c.round(1e9);
    expect(high.control.goalClipped).toBe(true);
    expect(high.control.targetKw).toBe(high.control.feasibleMaxKw);
    for (let k = 0; k < 20; k++) expect(Number.isFinite(c.round(-5).enabledKw)).toBe(true);
    expect(() => c.round(Number.NaN)).toThrow(/goalKw/);
  });

  it('sheds red only in an emergency', () => {
    const fleet = buildFleet(defaultFleetSpec(5_000), 4);
    const c = new FleetController(fleet, { dtS: 2 });
    const normal = c.round(0).control.feasibleMinKw;
    const emergency = c.round(0, true).control.feasibleMinKw;
    expect(emergency).toBeLessThan(normal);
  });

  it('tracks from a sampled estimate (a quarter of the groups report)', () => {
    const fleet = buildFleet(defaultFleetSpec(100_000), 9);
    const c = new FleetController(fleet, { dtS: 2, sampleFraction: 0.25, seed: 3 });
    const e0 = enabledDemandKw(fleet);
    runTrajectory(c, () => 0.8 * e0, 40);
    expect(Math.abs(enabledDemandKw(fleet) / (0.8 * e0) - 1)).toBeLessThan(0.02);
  });
});
