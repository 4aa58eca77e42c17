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

  it('with perfect load and PV forecasts every re-decision is traded: no pattern has any imbalance', () => {
    for (const intradayLeadHours of [1, 3])
      for (let seed = 1; seed <= 3; seed++) {
        const r = simulateHouseholds({
          households: 6,
          days: 2,
          seed,
          loadPvErrorScale: 0,
          intradayThresholdKwh: 0,
          intradayLeadHours,
        });
        for (const p of PATTERNS) {
          expect(r.patterns[p].meanAbsImbalanceKwh).toBeLessThan(1e-9);
          expect(Math.abs(r.patterns[p].meanImbalanceUsd)).toBeLessThan(1e-9);
        }
        expect(r.patterns.prediction.meanIntradayKwh).toBeGreaterThan(0);
      }
  });

  it('with forecast errors every pattern misses its commitments by about as much: load and PV only', () => {
    const r = simulateHouseholds({ households: 8, days: 3, seed: 4 });
    const normal = r.patterns.normal.meanAbsImbalanceKwh;
    expect(normal).toBeGreaterThan(0);
    for (const p of PATTERNS) {
      expect(r.patterns[p].meanAbsImbalanceKwh).toBeGreaterThan(0.9 * normal);
      expect(r.patterns[p].meanAbsImbalanceKwh).toBeLessThan(1.1 * normal);
    }
  });

  it('the prediction pattern, re-deciding every round, costs the household no more in total than normal', () => {
    // Re-deciding on the raw price forecast cost more than normal: every move was sold back and
    // bought again intraday across the network fee. Priced as deviations from its commitments,
    // a move has to save more than it costs to trade.
    let normal = 0;
    let prediction = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = simulateHouseholds({ households: 8, days: 2, seed });
      normal += r.patterns.normal.meanCostUsd;
      prediction += r.patterns.prediction.meanCostUsd;
    }
    expect(prediction).toBeLessThanOrEqual(normal);
  });

  it("the prediction pattern's day-ahead plan, followed, costs the household no more than normal", () => {
    // the baseline without re-decisions: what the day-ahead plan alone earns
    let normal = 0;
    let prediction = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = simulateHouseholds({ households: 8, days: 2, seed, redecideIntraday: false });
      normal += r.patterns.normal.meanCostUsd;
      prediction += r.patterns.prediction.meanCostUsd;
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
    expect(() => simulateHouseholds({ households: 1, days: 1, seed: 1, intradayLeadHours: 0 })).toThrow(
      /intradayLeadHours = 0/,
    );
    expect(() => simulateHouseholds({ households: 1, days: 1, seed: 1, intradayLeadHours: 13 })).toThrow(
      InvalidValueError,
    );
    expect(() => simulateHouseholds({ households: 1, days: 1, seed: 1, loadPvErrorScale: -1 })).toThrow(
      /loadPvErrorScale = -1/,
    );
  });
});
