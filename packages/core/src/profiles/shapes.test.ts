import { describe, expect, it } from 'vitest';
import { Prng } from '../random/index.js';
import { clearSkyPvKwPerKwp, loadShares, loadWeight, Sky } from './shapes.js';

describe('synthetic day shapes', () => {
  it('splits a day into shares that sum to one at any resolution, and agree across resolutions', () => {
    const hourly = loadShares('residential', 60);
    const fiveMin = loadShares('residential', 5);
    expect(hourly.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(fiveMin.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // an hour's five-minute shares add up to about its hourly share
    for (let h = 0; h < 24; h++) {
      const sum = fiveMin.slice(h * 12, (h + 1) * 12).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - hourly[h])).toBeLessThan(0.002);
    }
  });

  it('peaks where homes and businesses draw: evening at home, working hours at work', () => {
    expect(loadWeight('residential', 19.5)).toBeGreaterThan(loadWeight('residential', 3));
    expect(loadWeight('commercial', 12)).toBeGreaterThan(2 * loadWeight('commercial', 2));
  });

  it('makes PV only in daylight, most at midday, and clouds that stay within 0.2–1', () => {
    expect(clearSkyPvKwPerKwp(3)).toBe(0);
    expect(clearSkyPvKwPerKwp(21)).toBe(0);
    expect(clearSkyPvKwPerKwp(13)).toBeGreaterThan(clearSkyPvKwPerKwp(9));
    const sky = new Sky(0.5);
    const r = new Prng(7);
    for (let k = 0; k < 288; k++) {
      const c = sky.next(r);
      expect(c).toBeGreaterThanOrEqual(0.2);
      expect(c).toBeLessThanOrEqual(1);
    }
  });
});
