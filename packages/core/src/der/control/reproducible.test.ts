import { describe, expect, it } from 'vitest';
import { buildFleet, defaultFleetSpec } from '../devices/index.js';
import { FleetController, runTrajectory, stepGoal } from './index.js';

function run(seed: number) {
  const fleet = buildFleet(defaultFleetSpec(3_000), seed);
  const c = new FleetController(fleet, { dtS: 2, sampleFraction: 0.5, seed });
  const e0 = c.enabledKw;
  const tr = runTrajectory(c, stepGoal(e0, 0.7 * e0, 20), 200);
  return { tr, state: fleet.state.slice(), temp: fleet.tempC.slice() };
}

describe('reproducibility', () => {
  it('gives identical trajectories and device states for the same seed, different ones otherwise', () => {
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(Array.from(a.tr.enabledKw)).toEqual(Array.from(b.tr.enabledKw));
    expect(Array.from(a.tr.enabledByTierKw)).toEqual(Array.from(b.tr.enabledByTierKw));
    expect(Array.from(a.state)).toEqual(Array.from(b.state));
    expect(Array.from(a.temp)).toEqual(Array.from(b.temp));
    expect(Array.from(a.tr.enabledKw)).not.toEqual(Array.from(c.tr.enabledKw));
  });
});
