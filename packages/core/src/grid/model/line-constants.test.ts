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

describe('concentric-neutral cables', () => {
  // Kersting, Distribution System Modeling and Analysis, example 4.2: three 250 kcmil AA cables
  // with 13 #14 copper neutral strands, 1.29 in over the strands, 6 in apart
  const FT = 0.3048;
  const IN = 0.0254;
  const MILE = 1609.344;
  const cable = (xFt: number) => ({
    xM: xFt * FT,
    hM: -4 * FT,
    gmrM: 0.0171 * FT,
    radiusM: (0.567 / 2) * IN,
    capRadiusM: (0.567 / 2) * IN,
    racOhmPerM: 0.41 / MILE,
    rdcOhmPerM: 0.41 / MILE,
    cn: {
      strands: 13,
      strandGmrM: 0.00208 * FT,
      strandOhmPerM: 14.8722 / MILE,
      strandDiameterM: 0.0641 * IN,
      cableDiameterM: 1.29 * IN,
      insulationDiameterM: 1.06 * IN,
      insulationM: 0.22 * IN,
      epsR: 2.3,
    },
  });
  const cables = [cable(0), cable(0.5), cable(1)];

  it("reproduces Kersting's phase impedance matrix (Carson's earth return) to his printed digits", () => {
    const lc = lineConstants(cables, 3, { frequencyHz: 60, rhoOhmM: 100, earth: 'carson', reduce: false });
    const perMile = (i: number, j: number) => {
      const v = lc.z.get(i, j);
      return [v.re * MILE, v.im * MILE];
    };
    const kersting = [
      [0, 0, 0.7981, 0.4463],
      [0, 1, 0.3191, 0.0328],
      [0, 2, 0.2849, -0.0143],
      [1, 1, 0.7891, 0.4041],
    ];
    for (const [i, j, re, im] of kersting) {
      const [r, x] = perMile(i, j);
      expect(Math.abs(r - re)).toBeLessThan(0.002);
      expect(Math.abs(x - im)).toBeLessThan(0.002);
    }
  });

  it('takes each phase capacitance from its insulation only: 2πε0εr / ln(r_out/r_in)', () => {
    const lc = lineConstants(cables, 3, { frequencyHz: 60, rhoOhmM: 100, earth: 'deri', reduce: false });
    const c = (2 * Math.PI * 8.854e-12 * 2.3) / Math.log(0.53 / 0.31);
    expect(lc.b[0] / (2 * Math.PI * 60)).toBeCloseTo(c, 15);
    expect(lc.b[1]).toBe(0);
  });

  it("reproduces Kersting's tape-shielded cable with a separate neutral (example 4.3)", () => {
    // 1/0 AA core in a 5-mil copper tape over 0.88 in, 1/0 copper neutral 3 in away
    const ts = {
      xM: 0,
      hM: -4 * FT,
      gmrM: 0.0111 * FT,
      radiusM: (0.368 / 2) * IN,
      capRadiusM: (0.368 / 2) * IN,
      racOhmPerM: 0.97 / MILE,
      rdcOhmPerM: 0.97 / MILE,
      ts: {
        shieldDiameterM: 0.88 * IN,
        tapeLayerM: 0.005 * IN,
        tapeLapPct: 50,
        insulationDiameterM: 0.85 * IN,
        insulationM: 0.22 * IN,
        epsR: 2.3,
      },
    };
    const neutral = {
      xM: 0.25 * FT,
      hM: -4 * FT,
      gmrM: 0.01113 * FT,
      radiusM: (0.368 / 2) * IN,
      capRadiusM: (0.368 / 2) * IN,
      racOhmPerM: 0.607 / MILE,
      rdcOhmPerM: 0.607 / MILE,
    };
    const lc = lineConstants([ts, neutral], 1, {
      frequencyHz: 60,
      rhoOhmM: 100,
      earth: 'carson',
      reduce: true,
    });
    expect(Math.abs(lc.z.re[0] * MILE - 1.3218)).toBeLessThan(0.002);
    expect(Math.abs(lc.z.im[0] * MILE - 0.6744)).toBeLessThan(0.002);
  });

  it('refuses bare wires on the phases of a cable line', () => {
    const { cn: _cn, ...bare } = cable(1);
    expect(() =>
      lineConstants([cable(0), cable(0.5), bare], 3, {
        frequencyHz: 60,
        rhoOhmM: 100,
        earth: 'carson',
        reduce: false,
      }),
    ).toThrow(/shielded cables must be the 3 phase conductors/);
  });
});
