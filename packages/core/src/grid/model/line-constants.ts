import { InvalidValueError } from '../../errors/index.js';
import { CMatrix } from '../../linalg/index.js';

/** One overhead conductor: position and wire data, all in metres, ohms per metre. */
export interface ConductorSpec {
  xM: number;
  hM: number;
  gmrM: number;
  radiusM: number;
  /** radius for the capacitance (OpenDSS's capradius, bundles); the outer radius unless given */
  capRadiusM: number;
  racOhmPerM: number;
  rdcOhmPerM: number;
  /** a concentric-neutral cable (phases only): its neutral strands and insulation, metres and ohms per metre */
  cn?: ConcentricNeutral;
  /** a tape-shielded cable (phases only): its copper tape and insulation, metres */
  ts?: TapeShield;
}

export interface TapeShield {
  /** diameter over the tape shield, and the tape's thickness */
  shieldDiameterM: number;
  tapeLayerM: number;
  /** overlap of the tape, per cent */
  tapeLapPct: number;
  insulationDiameterM: number;
  insulationM: number;
  epsR: number;
}

export interface ConcentricNeutral {
  strands: number;
  strandGmrM: number;
  strandOhmPerM: number;
  strandDiameterM: number;
  /** outer diameter over the neutral strands */
  cableDiameterM: number;
  /** diameter over the insulation, and the insulation's thickness */
  insulationDiameterM: number;
  insulationM: number;
  epsR: number;
}

export type EarthModel = 'deri' | 'carson' | 'fullcarson';

export interface LineConstants {
  /** series impedance, ohms per metre */
  z: CMatrix;
  /** shunt susceptance ωC, siemens per metre (real matrix) */
  b: Float64Array;
  order: number;
}

// OpenDSS's own constants: results agree with its Show LineConstants to the printed digits
const MU0 = 12.56637e-7;
const EPS0 = 8.854e-12;
const TWO_PI = 6.283185307;

type C = { re: number; im: number };
const c = (re: number, im = 0): C => ({ re, im });
const add = (a: C, b: C): C => c(a.re + b.re, a.im + b.im);
const mul = (a: C, b: C): C => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const div = (a: C, b: C): C => {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
};
const csqrt = (a: C): C => {
  const m = Math.hypot(a.re, a.im);
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sign(a.im || 1) * Math.sqrt((m - a.re) / 2);
  return c(re, im);
};
const clog = (a: C): C => c(Math.log(Math.hypot(a.re, a.im)), Math.atan2(a.im, a.re));

/** Modified Bessel function of the first kind, order 0 or 1, by its power series. */
function besselI(order: 0 | 1, z: C): C {
  const z2over4 = mul(mul(z, z), c(0.25));
  let term = order === 0 ? c(1) : mul(z, c(0.5));
  let sum = term;
  for (let k = 1; k < 1000; k++) {
    term = mul(term, mul(z2over4, c(1 / (k * (k + order)))));
    sum = add(sum, term);
    if (term.re * term.re + term.im * term.im < 1e-20) break;
  }
  return sum;
}

/** Internal impedance of a round conductor with skin effect (Deri's model uses it), ohms per metre. */
function internalImpedance(rdc: number, f: number): C {
  const alpha = mul(c(1, 1), c(Math.sqrt((f * MU0) / rdc)));
  const scale = mul(c(0.5, 0.5), c(Math.sqrt(rdc * f * MU0)));
  if (Math.hypot(alpha.re, alpha.im) > 35) return scale;
  return mul(scale, div(besselI(0, alpha), besselI(1, alpha)));
}

/**
 * Per-metre series impedance and shunt susceptance of an overhead line from its conductor
 * geometry: self and mutual terms with an earth-return correction (Deri's complex depth by
 * default, or Carson), capacitance from Maxwell's potential coefficients, then Kron reduction
 * of the conductors beyond `phases` (neutrals at zero potential).
 */
export function lineConstants(
  conductors: ConductorSpec[],
  phases: number,
  options: { frequencyHz: number; rhoOhmM: number; earth: EarthModel; reduce: boolean },
): LineConstants {
  if (conductors.some((x) => x.cn || x.ts)) return cableConstants(conductors, phases, options);
  const n = conductors.length;
  const f = options.frequencyHz;
  const w = TWO_PI * f;
  const lf = (w * MU0) / TWO_PI;
  for (let i = 0; i < n; i++) {
    const ci = conductors[i];
    if (!(ci.hM > 0))
      throw new InvalidValueError(`conductor ${i + 1} has height ${ci.hM} m; it must be above ground`);
    for (let j = 0; j < i; j++) {
      const d = Math.hypot(ci.xM - conductors[j].xM, ci.hM - conductors[j].hM);
      if (d < ci.radiusM + conductors[j].radiusM)
        throw new InvalidValueError(`conductors ${j + 1} and ${i + 1} overlap (${d.toPrecision(3)} m apart)`);
    }
  }
  const p = div(c(1), csqrt(c(0, (w * MU0) / options.rhoOhmM)));
  const carsonEarth = c((w * MU0) / 8, lf * Math.log(658.8530451057239 * Math.sqrt(options.rhoOhmM / f)));
  const z = new CMatrix(n);
  for (let i = 0; i < n; i++) {
    const a = conductors[i];
    for (let j = 0; j < n; j++) {
      const b = conductors[j];
      let zij: C;
      if (i === j) {
        const zint = options.earth === 'deri' ? c(internalImpedance(a.rdcOhmPerM, f).re) : c(a.racOhmPerM);
        zij = add(zint, c(0, lf * Math.log(1 / a.gmrM)));
      } else {
        zij = c(0, lf * Math.log(1 / Math.hypot(a.xM - b.xM, a.hM - b.hM)));
      }
      zij = add(zij, earthReturn(options.earth, a, b, i === j, p, lf, carsonEarth, w, f, options.rhoOhmM));
      z.set(i, j, zij.re, zij.im);
    }
  }
  const pm = new CMatrix(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = conductors[i];
      const b = conductors[j];
      const v =
        i === j
          ? Math.log((2 * a.hM) / a.capRadiusM)
          : Math.log(Math.hypot(a.xM - b.xM, a.hM + b.hM) / Math.hypot(a.xM - b.xM, a.hM - b.hM));
      pm.set(i, j, v, 0);
    }
  const cFull = pm.inverse();
  const order = options.reduce ? phases : n;
  const zr = options.reduce ? kron(z, phases) : z;
  const bMat = new Float64Array(order * order);
  for (let i = 0; i < order; i++)
    for (let j = 0; j < order; j++) bMat[i * order + j] = w * TWO_PI * EPS0 * cFull.re[i * n + j];
  return { z: zr, b: bMat, order };
}

// OpenDSS's resistivity of a copper tape shield, ohm-metres
const RHO_TAPE = 2.3718e-8;

/**
 * A cable's screen as one equivalent conductor: its resistance and GMR, and its distance to a
 * conductor whose centre lies d from the cable's (0: its own core). Concentric neutral strands
 * (CNLineConstants): r/k, the GMR of k strands on their circle, (d^k − R^k)^(1/k); a tape
 * shield (TSLineConstants): ρ over the tape's cross-section, the tape's mean radius, d.
 */
function screenOf(x: ConductorSpec): { rOhmPerM: number; gmrM: number; distance(d: number): number } {
  if (x.cn) {
    const cn = x.cn;
    const k = cn.strands;
    const radius = 0.5 * (cn.cableDiameterM - cn.strandDiameterM);
    return {
      rOhmPerM: cn.strandOhmPerM / k,
      gmrM: (cn.strandGmrM * k * radius ** (k - 1)) ** (1 / k),
      distance: (d) => (d === 0 ? radius : (d ** k - radius ** k) ** (1 / k)),
    };
  }
  const ts = x.ts!;
  const gmr = 0.5 * (ts.shieldDiameterM - ts.tapeLayerM);
  return {
    rOhmPerM:
      (0.3183 * RHO_TAPE) / (ts.shieldDiameterM * ts.tapeLayerM * Math.sqrt(50 / (100 - ts.tapeLapPct))),
    gmrM: gmr,
    distance: (d) => (d === 0 ? gmr : d),
  };
}

/**
 * Shielded cables as OpenDSS's CN- and TSLineConstants compute them: each phase cable's screen
 * (concentric neutral strands or tape shield) becomes an equivalent conductor placed after the
 * cores and bare neutrals and always Kron-reduced; earth return with the conductors' depths as
 * heights; capacitance of each phase from its insulation only.
 */
function cableConstants(
  conductors: ConductorSpec[],
  phases: number,
  options: { frequencyHz: number; rhoOhmM: number; earth: EarthModel; reduce: boolean },
): LineConstants {
  const n = conductors.length;
  conductors.forEach((x, i) => {
    if (i < phases !== (x.cn !== undefined || x.ts !== undefined))
      throw new InvalidValueError(
        `conductor ${i + 1}: shielded cables must be the ${phases} phase conductors, bare wires the rest`,
      );
  });
  const f = options.frequencyHz;
  const w = TWO_PI * f;
  const lf = (w * MU0) / TWO_PI;
  // the earth return sees depth as height
  const at = conductors.map((x) => ({ ...x, hM: Math.abs(x.hM) }));
  const p = div(c(1), csqrt(c(0, (w * MU0) / options.rhoOhmM)));
  const carsonEarth = c((w * MU0) / 8, lf * Math.log(658.8530451057239 * Math.sqrt(options.rhoOhmM / f)));
  const ze = (i: number, j: number) =>
    earthReturn(options.earth, at[i], at[j], i === j, p, lf, carsonEarth, w, f, options.rhoOhmM);
  const dist = (i: number, j: number) => Math.hypot(at[i].xM - at[j].xM, conductors[i].hM - conductors[j].hM);
  const size = n + phases;
  const z = new CMatrix(size);
  const put = (i: number, j: number, v: C) => {
    z.set(i, j, v.re, v.im);
    z.set(j, i, v.re, v.im);
  };
  for (let i = 0; i < n; i++) {
    const a = at[i];
    const zint = options.earth === 'deri' ? c(internalImpedance(a.rdcOhmPerM, f).re) : c(a.racOhmPerM);
    put(i, i, add(add(zint, c(0, lf * Math.log(1 / a.gmrM))), ze(i, i)));
    for (let j = 0; j < i; j++) put(i, j, add(c(0, lf * Math.log(1 / dist(i, j))), ze(i, j)));
  }
  for (let i = 0; i < phases; i++) {
    const screen = screenOf(conductors[i]);
    put(n + i, n + i, add(c(screen.rOhmPerM, lf * Math.log(1 / screen.gmrM)), ze(i, i)));
    for (let j = 0; j < i; j++) put(n + i, n + j, add(c(0, lf * Math.log(1 / dist(i, j))), ze(i, j)));
    for (let j = 0; j < n; j++) {
      const d = screen.distance(i === j ? 0 : dist(i, j));
      put(n + i, j, add(c(0, lf * Math.log(1 / d)), ze(i, j)));
    }
  }
  const zCores = kron(z, n);
  const order = options.reduce ? phases : n;
  const zr = options.reduce ? kron(zCores, phases) : zCores;
  const b = new Float64Array(order * order);
  for (let i = 0; i < Math.min(phases, order); i++) {
    const ins = (conductors[i].cn ?? conductors[i].ts)!;
    const rOut = 0.5 * ins.insulationDiameterM;
    const rIn = rOut - ins.insulationM;
    b[i * order + i] = (TWO_PI * EPS0 * ins.epsR * w) / Math.log(rOut / rIn);
  }
  return { z: zr, b, order };
}

function earthReturn(
  model: EarthModel,
  a: ConductorSpec,
  b: ConductorSpec,
  self: boolean,
  p: C,
  lf: number,
  carsonEarth: C,
  w: number,
  f: number,
  rho: number,
): C {
  if (model === 'carson') return carsonEarth;
  if (model === 'deri') {
    const arg = self
      ? mul(c(2), add(c(a.hM), p))
      : csqrt(
          add(
            mul(add(c(a.hM + b.hM), mul(c(2), p)), add(c(a.hM + b.hM), mul(c(2), p))),
            c((a.xM - b.xM) ** 2),
          ),
        );
    return mul(c(0, lf), clog(arg));
  }
  // full Carson series
  const d = self ? 2 * a.hM : Math.hypot(a.hM + b.hM, a.xM - b.xM);
  const theta = self ? 0 : Math.acos((a.hM + b.hM) / d);
  const m = 2.8099e-3 * d * Math.sqrt(f / rho);
  const b1 = 1 / (3 * Math.SQRT2);
  const b2 = 1 / 16;
  const b3 = b1 / 15;
  const b4 = b2 / 24;
  const d2 = (b2 * Math.PI) / 4;
  const d4 = (b4 * Math.PI) / 4;
  const c2 = 1.3659315;
  const c4 = c2 + 1 / 4 + 1 / 6;
  const lnm = Math.log(m);
  const P =
    Math.PI / 8 -
    b1 * m * Math.cos(theta) +
    b2 * m * m * ((c2 - lnm) * Math.cos(2 * theta) + theta * Math.sin(2 * theta)) +
    b3 * m ** 3 * Math.cos(3 * theta) -
    d4 * m ** 4 * Math.cos(4 * theta);
  const Q =
    0.5 * Math.log(1.85138 / m) +
    b1 * m * Math.cos(theta) -
    d2 * m * m * Math.cos(2 * theta) +
    b3 * m ** 3 * Math.cos(3 * theta) -
    b4 * m ** 4 * ((c4 - lnm) * Math.cos(4 * theta) + theta * Math.sin(4 * theta)) +
    0.5 * Math.log(d);
  const k = (w * MU0) / Math.PI;
  return c(k * P, k * Q);
}

/** Eliminates conductors from the last down to `keep`: Z' = Z_aa − Z_an Z_nn⁻¹ Z_na, one at a time. */
export function kron(z: CMatrix, keep: number): CMatrix {
  let m = z.clone();
  while (m.n > keep) {
    const n = m.n;
    const last = n - 1;
    const out = new CMatrix(last);
    const znn = m.get(last, last);
    for (let i = 0; i < last; i++)
      for (let j = 0; j < last; j++) {
        const t = div(mul(m.get(i, last), m.get(last, j)), znn);
        const v = m.get(i, j);
        out.set(i, j, v.re - t.re, v.im - t.im);
      }
    m = out;
  }
  return m;
}
