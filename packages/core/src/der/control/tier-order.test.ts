import { describe, expect, it } from 'vitest';
import { buildFleet, defaultFleetSpec, TIER_GREEN, TIER_RED, TIER_YELLOW } from '../devices/index.js';
import { dfTierKw, drKw, efTierKw, FleetController } from './index.js';

const disabledKw = (s: Float64Array, tier: number) => dfTierKw(s, tier) + drKw(s, tier);

describe('tier priority', () => {
  it('sheds no yellow while green flexible demand remains, and reports forced violations', () => {
    const fleet = buildFleet(defaultFleetSpec(20_000), 12);
    const c = new FleetController(fleet, { dtS: 2 });
    const e0 = c.enabledKw;
    // shallow: green alone can carry it
    for (let k = 0; k < 150; k++) {
      const greenFlexBefore = efTierKw(c.estimate, TIER_GREEN);
      const r = c.round(0.85 * e0);
      expect(r.control.tierOrderViolations).toBe(0);
      expect(disabledKw(c.estimate, TIER_YELLOW)).toBe(0);
      expect(greenFlexBefore).toBeGreaterThan(0);
    }
    expect(disabledKw(c.estimate, TIER_GREEN)).toBeGreaterThan(0.1 * e0);

    // deep: more than green holds, so yellow must go; while green sits refractory it is reported
    let violations = 0;
    for (let k = 0; k < 150; k++) {
      const before = c.estimate.slice();
      const r = c.round(0.55 * e0);
      violations += r.control.tierOrderViolations;
      if (r.control.tierOrderViolations > 0) expect(before[TIER_GREEN * 10 + 4]).toBeGreaterThan(0);
      expect(disabledKw(c.estimate, TIER_RED)).toBe(0);
    }
    expect(disabledKw(c.estimate, TIER_YELLOW)).toBeGreaterThan(0);
    expect(violations).toBeGreaterThan(0);

    // back to shallow: yellow is restored first and green carries the shed again
    for (let k = 0; k < 200; k++) c.round(0.85 * e0);
    expect(disabledKw(c.estimate, TIER_YELLOW)).toBeLessThan(0.01 * e0);
  });
});
