import { describe, expect, it } from 'vitest';
import { CMatrix } from '../../linalg/index.js';
import { kron, lineConstants } from './line-constants.js';

const wire = { gmrM: 0.0081, radiusM: 0.0107, capRadiusM: 0.0107, racOhmPerM: 0.306e-3, rdcOhmPerM: 0.3e-3 };
const flat = [
  { xM: -0.75, hM: 9, ...wire },
  { xM: 0, hM: 9, ...wire },
  { xM: 0.75, hM: 9, ...wire },
  { xM: 0, hM: 7.5, ...wire },
];

describe('line constants', () => {
  it("Carson's simplified earth return: Zii = R + ωμ0/8 + j(ωμ0/2π)·ln(De/GMR), De = 658.85·√(ρ/f)", () => {
    const lc = lineConstants([flat[0]], 1, { frequencyHz: 60, rhoOhmM: 100, earth: 'carson', reduce: false });
    const mu0 = 4e-7 * Math.PI;
    const w = 2 * Math.PI * 60;
    const de = 658.853 * Math.sqrt(100 / 60);
    expect(lc.z.re[0]).toBeCloseTo(wire.racOhmPerM + (w * mu0) / 8, 9);
    expect(lc.z.im[0]).toBeCloseTo(((w * mu0) / (2 * Math.PI)) * Math.log(de / wire.gmrM), 8);
  });

  it('a single conductor has capacitance 2πε0 / ln(2h/r) per metre', () => {
    const lc = lineConstants([flat[0]], 1, { frequencyHz: 60, rhoOhmM: 100, earth: 'deri', reduce: false });
    const c = (2 * Math.PI * 8.854e-12) / Math.log((2 * 9) / wire.radiusM);
    expect(lc.b[0] / (2 * Math.PI * 60)).toBeCloseTo(c, 15);
  });

  it('is symmetric and mirror-symmetric for a symmetric layout', () => {
    const lc = lineConstants(flat, 3, { frequencyHz: 60, rhoOhmM: 100, earth: 'deri', reduce: true });
    const z = lc.z;
    expect(lc.order).toBe(3);
    expect(z.get(0, 1).re).toBeCloseTo(z.get(1, 0).re, 12);
    expect(z.get(0, 0).im).toBeCloseTo(z.get(2, 2).im, 12);
    expect(z.get(0, 1).im).toBeCloseTo(z.get(1, 2).im, 12);
  });

  it("Deri's complex depth agrees with Carson's series at power frequency within a few per cent", () => {
    const deri = lineConstants(flat, 3, { frequencyHz: 60, rhoOhmM: 100, earth: 'deri', reduce: true });
    const full = lineConstants(flat, 3, { frequencyHz: 60, rhoOhmM: 100, earth: 'fullcarson', reduce: true });
    for (let k = 0; k < 9; k++) {
      expect(Math.abs(deri.z.im[k] - full.z.im[k]) / Math.abs(full.z.im[0])).toBeLessThan(0.02);
    }
  });

  it('Kron reduction is the Schur complement of the neutral', () => {
    const z = new CMatrix(2);
    z.set(0, 0, 1, 2);
    z.set(0, 1, 0.3, 0.7);
    z.set(1, 0, 0.3, 0.7);
    z.set(1, 1, 0.9, 1.8);
    const r = kron(z, 1);
    // z00 − z01²/z11
    const num = { re: 0.3 * 0.3 - 0.7 * 0.7, im: 2 * 0.3 * 0.7 };
    const d = 0.9 * 0.9 + 1.8 * 1.8;
    const q = { re: (num.re * 0.9 + num.im * 1.8) / d, im: (num.im * 0.9 - num.re * 1.8) / d };
    expect(r.get(0, 0).re).toBeCloseTo(1 - q.re, 12);
    expect(r.get(0, 0).im).toBeCloseTo(2 - q.im, 12);
  });

  it('refuses conductors below ground or touching', () => {
    expect(() =>
      lineConstants([{ ...flat[0], hM: 0 }], 1, {
        frequencyHz: 60,
        rhoOhmM: 100,
        earth: 'deri',
        reduce: false,
      }),
    ).toThrow(/above ground/);
    expect(() =>
      lineConstants([flat[0], { ...flat[0], xM: flat[0].xM + 0.001 }], 2, {
        frequencyHz: 60,
        rhoOhmM: 100,
        earth: 'deri',
        reduce: false,
      }),
    ).toThrow(/overlap/);
  });
});
