import { describe, expect, it } from 'vitest';
import {
  buildFleet,
  defaultFleetSpec,
  type Fleet,
  STATE_DF,
  STATE_DR,
  STATE_EF,
  STATE_ER,
  TIER_GREEN,
} from '../devices/index.js';
import { FleetController } from './index.js';

/** Coefficient of variation of cumulative disabled time over the green devices. */
function greenSpread(fleet: Fleet): { cv: number; mean: number } {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < fleet.size; i++) {
    if (fleet.tier[i] !== TIER_GREEN) continue;
    const d = fleet.disabledS[i];
    s += d;
    s2 += d * d;
    n++;
  }
  const mean = s / n;
  return { cv: Math.sqrt(Math.max(0, s2 / n - mean * mean)) / mean, mean };
}

function runEvent(rho: number, rounds: number) {
  const fleet = buildFleet({ ...defaultFleetSpec(4_000), customerOverridesPerHour: 0 }, 8);
  const c = new FleetController(fleet, { dtS: 2, fairnessSwapPerRound: rho });
  const e0 = c.enabledKw;
  for (let k = 0; k < rounds; k++) c.round(0.8 * e0);
  return greenSpread(fleet);
}

describe('fairness within a tier', () => {
  it('keeps the spread of disabled time within green bounded, and tighter than without swaps', () => {
    const fair = runEvent(0.02, 1200);
    const unfair = runEvent(0, 1200);
    expect(fair.mean).toBeGreaterThan(0);
    expect(fair.cv).toBeLessThan(0.6);
    expect(fair.cv).toBeLessThan(0.75 * unfair.cv);
  });
});

describe('refractory timing (invariant over every device and round)', () => {
  it('switches only flexible devices and keeps each refractory period within its bounds', () => {
    const spec = defaultFleetSpec(3_000);
    const fleet = buildFleet(spec, 17);
    const dtS = 2;
    const c = new FleetController(fleet, { dtS });
    const e0 = c.enabledKw;
    const fixed = { [STATE_ER]: [60, 90, 120], [STATE_DR]: [120, 180, 300] } as Record<number, number[]>;
    const variable = { [STATE_ER]: [60, 90, 120], [STATE_DR]: [120, 180, 300] } as Record<number, number[]>;
    const entered = new Float64Array(fleet.size).fill(Number.NaN);
    const prev = fleet.state.map((s) => s & 3);
    let checked = 0;
    let overrides = 0;
    let drToEr = 0;
    for (let k = 0; k < 900; k++) {
      const goal = e0 * (0.75 + 0.1 * Math.sin(k / 40));
      overrides += c.round(goal).steps.overrides;
      for (let i = 0; i < fleet.size; i++) {
        const before = prev[i];
        const now = fleet.state[i] & 3;
        if (before === now) continue;
        // an enabled-refractory device is never disabled; a flexible one never skips refractory
        expect(before === STATE_ER && (now === STATE_DF || now === STATE_DR)).toBe(false);
        expect(before === STATE_EF && now === STATE_DF).toBe(false);
        expect(before === STATE_DF && now === STATE_EF).toBe(false);
        if (before === STATE_DR && now === STATE_ER) drToEr++;
        if (now === STATE_ER || now === STATE_DR) entered[i] = fleet.timeS - dtS;
        if ((before === STATE_ER || before === STATE_DR) && (now === STATE_EF || now === STATE_DF)) {
          if (!Number.isNaN(entered[i])) {
            const stayed = fleet.timeS - entered[i];
            const t = fleet.tier[i];
            expect(stayed).toBeGreaterThanOrEqual(fixed[before][t]);
            expect(stayed).toBeLessThanOrEqual(fixed[before][t] + variable[before][t] + 2 * dtS);
            checked++;
          }
        }
        prev[i] = now;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // leaving DR early happens only by override (comfort, deadline, customer), all counted
    expect(drToEr).toBeLessThanOrEqual(overrides);
  });
});
