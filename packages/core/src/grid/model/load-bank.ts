import { LoadElement } from './load.js';

/** Number of parameters of one load phase in a parameter block; see loadParameters. */
export const LOAD_FIELDS = 16;

/** The parameter block of a load (shared by all its phases), in the layout loadCurrent reads. */
export function loadParameters(el: LoadElement): Float64Array {
  const m5 = el.p.model === 5;
  const y105 = m5 ? el.yeq105I : el.yeq105;
  const m = m5 ? el.m95I : el.m95;
  return Float64Array.of(
    el.yeq.re,
    el.yeq.im,
    y105.re,
    y105.im,
    el.vLow,
    el.v95,
    el.v105,
    el.iLow.re,
    el.iLow.im,
    m.re,
    m.im,
    el.p.pNomW,
    el.p.qNomVar,
    el.p.vBaseV,
    el.p.cvrWatts,
    el.p.cvrVars,
  );
}

/**
 * Current drawn by one load phase at phase voltage v (volts), written to out[0..1]: below
 * vlowpu constant Z, up to vminpu interpolated towards constant Z, above vmaxpu constant Z,
 * in between the model itself (1 constant power, 2 constant Z, 4 CVR, 5 constant current).
 */
export function loadCurrent(
  f: Float64Array,
  o: number,
  model: number,
  vr: number,
  vi: number,
  out: Float64Array,
): void {
  const yr = f[o];
  const yi = f[o + 1];
  const vm = Math.sqrt(vr * vr + vi * vi);
  if (model === 2 || vm <= f[o + 4]) {
    out[0] = yr * vr - yi * vi;
    out[1] = yr * vi + yi * vr;
    return;
  }
  if (vm <= f[o + 5]) {
    const t = vm - f[o + 4];
    const gr = (f[o + 7] + f[o + 9] * t) / vm;
    const gi = (f[o + 8] + f[o + 10] * t) / vm;
    out[0] = gr * vr - gi * vi;
    out[1] = gr * vi + gi * vr;
    return;
  }
  if (vm > f[o + 6]) {
    out[0] = f[o + 2] * vr - f[o + 3] * vi;
    out[1] = f[o + 2] * vi + f[o + 3] * vr;
    return;
  }
  let pw = f[o + 11];
  let qv = f[o + 12];
  const d = vr * vr + vi * vi;
  if (model === 5) {
    // constant current magnitude |S|/Vbase at the load's power factor, following V's angle
    const s = vm / f[o + 13];
    pw *= s;
    qv *= s;
  } else if (model === 4) {
    const r = vm / f[o + 13];
    const cw = f[o + 14];
    const cv = f[o + 15];
    pw *= cw === 1 ? r : r ** cw;
    if (cv === 2) {
      // Q ∝ V²: a constant susceptance
      out[0] = (pw * vr) / d - yi * vi;
      out[1] = (pw * vi) / d + yi * vr;
      return;
    }
    qv *= r ** cv;
  }
  // I = conj(S / V)
  out[0] = (pw * vr + qv * vi) / d;
  out[1] = (pw * vi - qv * vr) / d;
}

/**
 * All loads of a network flattened into typed arrays, one entry per phase (or delta branch),
 * so the fixed-point iteration evaluates them in one tight loop with the same loadCurrent
 * every LoadElement uses.
 */
export class LoadBank {
  readonly count: number;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly model: Uint8Array;
  private readonly f: Float64Array;
  /** the parameter blocks as built, at each element's nominal power */
  private readonly base: Float64Array;
  /** Yeq in the factorized matrix, per entry: the compensation keeps using it when power is rescaled */
  private readonly compRe: Float64Array;
  private readonly compIm: Float64Array;
  /** the entries (phases) of each element */
  private readonly entriesOf = new Map<LoadElement, number[]>();
  private readonly out = new Float64Array(2);
  /** wye neutrals on real nodes carry a small extra diagonal: node, re, im */
  private readonly neutrals: { node: number; re: number; im: number }[] = [];

  constructor(loads: { el: LoadElement; nodes: Int32Array }[]) {
    const entries: { a: number; b: number; el: LoadElement }[] = [];
    for (const { el, nodes } of loads) {
      const n = el.p.phases;
      for (let i = 0; i < n; i++) entries.push({ a: nodes[i], b: nodes[el.otherConductor[i]], el });
      if (el.p.conn === 'wye' && nodes[n] >= 0 && (el.neutralExtra.re !== 0 || el.neutralExtra.im !== 0)) {
        this.neutrals.push({ node: nodes[n], re: el.neutralExtra.re, im: el.neutralExtra.im });
      }
    }
    this.count = entries.length;
    this.a = Int32Array.from(entries, (e) => e.a);
    this.b = Int32Array.from(entries, (e) => e.b);
    this.model = Uint8Array.from(entries, (e) => e.el.p.model);
    this.f = new Float64Array(entries.length * LOAD_FIELDS);
    this.compRe = new Float64Array(entries.length);
    this.compIm = new Float64Array(entries.length);
    entries.forEach(({ el }, k) => {
      this.f.set(el.parameters, k * LOAD_FIELDS);
      this.compRe[k] = el.yeq.re;
      this.compIm[k] = el.yeq.im;
      const list = this.entriesOf.get(el) ?? [];
      list.push(k);
      this.entriesOf.set(el, list);
    });
    this.base = this.f.slice();
  }

  /**
   * Scales an element's active power by mP and reactive power by mQ (a load shape's step) without
   * touching the matrix: every power-dependent parameter is linear in P (real parts) and Q
   * (imaginary parts); the compensation keeps the matrix's Yeq, so the fixed point is the scaled load.
   */
  scale(el: LoadElement, mP: number, mQ: number): void {
    const { f, base } = this;
    for (const k of this.entriesOf.get(el) ?? []) {
      const o = k * LOAD_FIELDS;
      for (const i of [0, 2, 7, 9, 11]) f[o + i] = base[o + i] * mP;
      for (const i of [1, 3, 8, 10, 12]) f[o + i] = base[o + i] * mQ;
    }
  }

  /**
   * Sets an element's P and Q per phase outright (W and var, load positive), for elements whose
   * power can pass through zero (a storage unit changing state); the matrix keeps its Yeq.
   */
  setPower(el: LoadElement, pNomW: number, qNomVar: number): void {
    const f = loadParameters(new LoadElement({ ...el.p, pNomW, qNomVar }));
    for (const k of this.entriesOf.get(el) ?? []) this.f.set(f, k * LOAD_FIELDS);
  }

  /** Real power an element draws at node voltages vRe/vIm with its present parameters, W. */
  powerW(el: LoadElement, vRe: Float64Array, vIm: Float64Array): number {
    const { a, b, model, f, out } = this;
    let p = 0;
    for (const k of this.entriesOf.get(el) ?? []) {
      const na = a[k];
      const nb = b[k];
      const vr = (na >= 0 ? vRe[na] : 0) - (nb >= 0 ? vRe[nb] : 0);
      const vi = (na >= 0 ? vIm[na] : 0) - (nb >= 0 ? vIm[nb] : 0);
      loadCurrent(f, k * LOAD_FIELDS, model[k], vr, vi, out);
      p += vr * out[0] + vi * out[1];
    }
    return p;
  }

  /** Adds every load's compensation current Yeq·Vph − I(Vph) to the node injections. */
  inject(vRe: Float64Array, vIm: Float64Array, iRe: Float64Array, iIm: Float64Array): void {
    const { a, b, model, f, count, out } = this;
    for (let k = 0; k < count; k++) {
      const na = a[k];
      const nb = b[k];
      const vr = (na >= 0 ? vRe[na] : 0) - (nb >= 0 ? vRe[nb] : 0);
      const vi = (na >= 0 ? vIm[na] : 0) - (nb >= 0 ? vIm[nb] : 0);
      const o = k * LOAD_FIELDS;
      loadCurrent(f, o, model[k], vr, vi, out);
      const yr = this.compRe[k];
      const yi = this.compIm[k];
      const dr = yr * vr - yi * vi - out[0];
      const di = yr * vi + yi * vr - out[1];
      if (na >= 0) {
        iRe[na] += dr;
        iIm[na] += di;
      }
      if (nb >= 0) {
        iRe[nb] -= dr;
        iIm[nb] -= di;
      }
    }
    for (const x of this.neutrals) {
      iRe[x.node] += x.re * vRe[x.node] - x.im * vIm[x.node];
      iIm[x.node] += x.re * vIm[x.node] + x.im * vRe[x.node];
    }
  }
}
