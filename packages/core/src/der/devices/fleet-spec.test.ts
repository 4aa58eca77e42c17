import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { buildFleet, defaultFleetSpec, deviceCount, Fleet, parseFleetSpec, TIER_BLACK } from './index.js';

describe('fleet spec', () => {
  it('fills defaults and builds a fleet of the requested size and mix, reproducibly', () => {
    const spec = parseFleetSpec({ devices: { airConditioner: 600, evCharger: 400 } });
    expect(deviceCount(spec)).toBe(1000);
    const a = buildFleet(spec, 1);
    const b = buildFleet(spec, 1);
    expect(a.size).toBe(1000);
    expect(Array.from(a.kind).filter((k) => k === 0).length).toBe(600);
    expect(Array.from(a.tier)).toEqual(Array.from(b.tier));
    expect(Array.from(a.ratedKw)).toEqual(Array.from(b.ratedKw));
    expect(Array.from(a.tier).filter((t) => t === TIER_BLACK).length).toBeGreaterThan(20);
    expect(Fleet.bytesPerDevice).toBe(36);
    expect(deviceCount(defaultFleetSpec(12_345))).toBe(12_345);
  });

  it('rejects bad specs with typed errors naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ devices: { airConditioner: -1 } }, /devices\.airConditioner/],
      [{ devices: { toaster: 3 } }, /devices\.toaster/],
      [{ devices: {} }, /devices: must count at least one/],
      [{ devices: { battery: 5 }, tierShares: { green: 0.5, yellow: 0.6 } }, /tierShares: must add up to 1/],
      [
        { devices: { battery: 5 }, timers: { green: { enabledFixedS: Number.NaN } } },
        /timers\.green\.enabledFixedS/,
      ],
      [{ devices: { battery: 5 }, comfort: { airConditioner: { maxRiseC: 0.5 } } }, /maxRiseC: must exceed/],
      [{ devices: { battery: 5 }, outdoorC: 20 }, /outdoorC/],
      [null, /must be an object/],
    ];
    for (const [input, message] of bad) {
      expect(() => parseFleetSpec(input)).toThrow(InvalidValueError);
      expect(() => parseFleetSpec(input)).toThrow(message);
    }
  });
});
