import { describe, expect, it } from 'vitest';
import { parseP2pScenario, simulateP2pDay } from './index.js';

const small = (extra: object = {}) =>
  parseP2pScenario({ seed: 3, vpps: 3, microgridsPerVpp: 2, prosumersPerMicrogrid: 12, ...extra });

describe('a day of the three-layer hierarchy', () => {
  for (const mechanism of ['uniform', 'pab', 'mda', 'merit'] as const) {
    it(`balances money and energy with a ${mechanism} Layer I market`, () => {
      const r = simulateP2pDay(small({ layer1Mechanism: mechanism }));
      const { prosumersUsd, utilityUsd, isoUsd, operatorUsd } = r.ledger;
      expect(prosumersUsd + utilityUsd + isoUsd + operatorUsd).toBeCloseTo(0, 9);
      if (mechanism !== 'mda') expect(operatorUsd).toBeCloseTo(0, 9);
      else expect(operatorUsd).toBeGreaterThanOrEqual(0);
      const e = r.energy;
      expect(e.prosumersKwh).toBeCloseTo(e.deliveredKwh + e.exportKwh - e.importKwh, 6);
      expect(r.layers.layer1.markets).toBe(48 * 6);
    });
  }

  it('uses every layer, and measures each prosumer against net metering', () => {
    const r = simulateP2pDay(small({ forecastErrorPct: 30 }));
    expect(r.layers.layer1.kwh).toBeGreaterThan(0);
    expect(r.layers.layer2.kwh).toBeGreaterThan(0);
    expect(r.layers.layer3.kwh).toBeGreaterThan(0);
    expect(r.layers.fallback.importKwh).toBeGreaterThan(0);
    for (const p of r.prosumers) expect(p.savingsUsd).toBeCloseTo(p.hierarchyUsd - p.baselineUsd, 12);
    expect(r.summary.prosumers).toBe(72);
  });

  it('gives identical results for the same seed and different ones for another', () => {
    expect(simulateP2pDay(small())).toEqual(simulateP2pDay(small()));
    expect(simulateP2pDay(small({ seed: 4 })).summary).not.toEqual(simulateP2pDay(small()).summary);
  });

  it('rejects a bad scenario naming the field', () => {
    expect(() => parseP2pScenario({ vpps: 0 })).toThrow(/vpps/);
    expect(() => parseP2pScenario({ pvKwp: [5, 2] })).toThrow(/pvKwp/);
    expect(() => parseP2pScenario({ retailPerKwh: [0.3] })).toThrow(/retailPerKwh/);
    expect(() => parseP2pScenario({ colour: 1 })).toThrow(/colour/);
  });
});
