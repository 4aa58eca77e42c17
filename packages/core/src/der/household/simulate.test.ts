import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { PATTERNS, simulateHouseholds } from './index.js';

describe('household day simulation', () => {
  it('is reproducible from its seed and differs with another', () => {
    const a = simulateHouseholds({ households: 4, days: 2, seed: 7 });
    const b = simulateHouseholds({ households: 4, days: 2, seed: 7 });
    const c = simulateHouseholds({ households: 4, days: 2, seed: 8 });
    expect(b).toEqual(a);
    expect(c.patterns.normal.meanCostUsd).not.toBe(a.patterns.normal.meanCostUsd);
    expect(a.prices.realizedUsdPerKwh).toHaveLength(48);
    for (const p of PATTERNS) {
      expect(Number.isFinite(a.patterns[p].meanCostUsd)).toBe(true);
      expect(a.patterns[p].scheduledLoadKwh).toHaveLength(48);
    }
  });

  it('the prediction pattern costs no more than the normal one on average over many seeded paths', () => {
    let normal = 0;
    let prediction = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = simulateHouseholds({ households: 8, days: 2, seed });
      normal += r.patterns.normal.meanApplianceCostUsd;
      prediction += r.patterns.prediction.meanApplianceCostUsd;
    }
    expect(prediction).toBeLessThanOrEqual(normal);
  });

  it('every pattern runs the same jobs, so the same energy, on the same prices', () => {
    const r = simulateHouseholds({ households: 6, days: 3, seed: 2 });
    const total = (p: (typeof PATTERNS)[number]) => r.patterns[p].scheduledLoadKwh.reduce((a, b) => a + b, 0);
    for (const p of PATTERNS) expect(total(p)).toBeCloseTo(total('normal'), 9);
    expect(r.patterns.normal.localTradedKwh).toBeGreaterThan(0);
    const k = r.contracts.chosen.hoursByKind;
    expect(k.spot + k.forward + k.option).toBeGreaterThan(0);
  });

  it('rejects a bad size or seed', () => {
    expect(() => simulateHouseholds({ households: 0, days: 1, seed: 1 })).toThrow(InvalidValueError);
    expect(() => simulateHouseholds({ households: 1, days: 1.5, seed: 1 })).toThrow(/days = 1.5/);
  });
});
