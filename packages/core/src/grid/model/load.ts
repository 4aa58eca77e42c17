import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, type Terminal, vanishingDiagonal } from './element.js';
import { loadCurrent, loadParameters } from './load-bank.js';

export type LoadModel = 1 | 2 | 4 | 5;

export interface LoadParams {
  id: string;
  terminal: Terminal;
  phases: number;
  conn: 'wye' | 'delta';
  model: LoadModel;
  /** per-phase (or per delta branch) base voltage, volts */
  vBaseV: number;
  /** per-phase nominal power, W and var, load multiplier applied */
  pNomW: number;
  qNomVar: number;
  vMinPu: number;
  vMaxPu: number;
  vLowPu: number;
  cvrWatts: number;
  cvrVars: number;
  rNeutOhms: number;
  xNeutOhms: number;
}

/**
 * A load as a voltage-dependent current drawn by each phase (or delta branch), with its
 * nominal admittance Yeq kept in the network matrix so the fixed-point iteration contracts
 * fast; the injection compensates for Yeq, so the converged answer depends only on I(V).
 * Below vminpu the current blends linearly to constant impedance at vlowpu; above vmaxpu
 * it becomes constant impedance, as in OpenDSS.
 */
export class LoadElement implements NetworkElement {
  readonly kind = 'load' as const;
  readonly isSeries = false;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  readonly p: LoadParams;
  readonly yeq: { re: number; im: number };
  readonly yeq105: { re: number; im: number };
  readonly yeq105I: { re: number; im: number };
  readonly vLow: number;
  readonly v95: number;
  readonly v105: number;
  readonly iLow: { re: number; im: number };
  readonly m95: { re: number; im: number };
  readonly m95I: { re: number; im: number };
  private readonly y: CMatrix;
  private readonly vph = { re: new Float64Array(0), im: new Float64Array(0) };
  readonly otherConductor: Int32Array;
  /** the parameter block loadCurrent reads, built once */
  readonly parameters: Float64Array;
  private readonly scratch = new Float64Array(2);
  /** what a wye neutral's Yprim diagonal holds beyond the phases' n·Yeq */
  neutralExtra = { re: 0, im: 0 };
  /** per-phase currents of the last evaluation, amperes, phase conductor to neutral/next phase */
  readonly phaseCurrentRe: Float64Array;
  readonly phaseCurrentIm: Float64Array;

  constructor(p: LoadParams) {
    this.p = p;
    this.id = p.id;
    this.terminals = [p.terminal];
    this.condsPerTerminal = p.conn === 'delta' && p.phases >= 3 ? p.phases : p.phases + 1;
    this.otherConductor = Int32Array.from({ length: p.phases }, (_, i) =>
      p.conn === 'wye' ? p.phases : (i + 1) % this.condsPerTerminal,
    );
    const v2 = p.vBaseV * p.vBaseV;
    this.yeq = { re: p.pNomW / v2, im: -p.qNomVar / v2 };
    const s95 = p.vMinPu > 0 ? 1 / (p.vMinPu * p.vMinPu) : 0;
    const s105 = p.vMaxPu > 0 ? 1 / (p.vMaxPu * p.vMaxPu) : 1;
    const s105I = p.vMaxPu > 0 ? 1 / p.vMaxPu : 1;
    const yeq95 = { re: this.yeq.re * s95, im: this.yeq.im * s95 };
    this.yeq105 = { re: this.yeq.re * s105, im: this.yeq.im * s105 };
    this.yeq105I = { re: this.yeq.re * s105I, im: this.yeq.im * s105I };
    this.vLow = p.vLowPu * p.vBaseV;
    this.v95 = p.vMinPu * p.vBaseV;
    this.v105 = p.vMaxPu * p.vBaseV;
    this.iLow = { re: this.yeq.re * this.vLow, im: this.yeq.im * this.vLow };
    const i95 = { re: yeq95.re * this.v95, im: yeq95.im * this.v95 };
    const iBase = { re: this.yeq.re * p.vBaseV, im: this.yeq.im * p.vBaseV };
    const span = this.v95 - this.vLow;
    this.m95 = { re: (i95.re - this.iLow.re) / span, im: (i95.im - this.iLow.im) / span };
    this.m95I = { re: (iBase.re - this.iLow.re) / span, im: (iBase.im - this.iLow.im) / span };
    this.y = this.buildYprim();
    this.parameters = loadParameters(this);
    this.vph = { re: new Float64Array(p.phases), im: new Float64Array(p.phases) };
    this.phaseCurrentRe = new Float64Array(p.phases);
    this.phaseCurrentIm = new Float64Array(p.phases);
  }

  private buildYprim(): CMatrix {
    const n = this.p.phases;
    const nc = this.condsPerTerminal;
    const m = new CMatrix(nc);
    const { re, im } = this.yeq;
    if (this.p.conn === 'wye') {
      for (let i = 0; i < n; i++) {
        m.add(i, i, re, im);
        m.add(i, n, -re, -im);
        m.add(n, i, -re, -im);
      }
      let nr = n * re;
      let ni = n * im;
      const { rNeutOhms: rn, xNeutOhms: xn } = this.p;
      if (rn < 0) {
        nr *= 1.000001;
        ni *= 1.000001;
      } else if (rn === 0 && xn === 0) nr += 1e6;
      else {
        const d = rn * rn + xn * xn;
        nr += rn / d;
        ni -= xn / d;
      }
      m.add(n, n, nr, ni);
      this.neutralExtra = { re: nr - n * re, im: ni - n * im };
    } else {
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % nc;
        m.add(i, i, re, im);
        m.add(j, j, re, im);
        m.add(i, j, -re, -im);
        m.add(j, i, -re, -im);
      }
    }
    return m;
  }

  yprim(): CMatrix {
    return this.y;
  }

  yprimSeries(): CMatrix {
    return vanishingDiagonal(this.y);
  }

  /** Second conductor of phase i: the neutral for wye, the next phase for delta. */
  private other(i: number): number {
    return this.otherConductor[i];
  }

  /**
   * Adds d(Yprim·V − I(V)) for a voltage change dV, the real-linear derivative of
   * injectInto, to out (node arrays). Around the operating point V.
   */
  injectionDerivative(
    vRe: Float64Array,
    vIm: Float64Array,
    dvRe: Float64Array,
    dvIm: Float64Array,
    nodes: Int32Array,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const { re: yr, im: yi } = this.yeq;
    const n = this.p.phases;
    const at = (arr: Float64Array, k: number) => (k >= 0 ? arr[k] : 0);
    for (let i = 0; i < n; i++) {
      const a = nodes[i];
      const b = nodes[this.other(i)];
      const vr = at(vRe, a) - at(vRe, b);
      const vi = at(vIm, a) - at(vIm, b);
      const dr = at(dvRe, a) - at(dvRe, b);
      const di = at(dvIm, a) - at(dvIm, b);
      const d = this.currentDerivative(i, vr, vi, dr, di);
      const jr = yr * dr - yi * di - d.re;
      const ji = yr * di + yi * dr - d.im;
      if (a >= 0) {
        outRe[a] += jr;
        outIm[a] += ji;
      }
      if (b >= 0) {
        outRe[b] -= jr;
        outIm[b] -= ji;
      }
    }
    if (this.p.conn === 'wye') {
      const nn = nodes[n];
      if (nn >= 0) {
        const { re: er, im: ei } = this.neutralExtra;
        outRe[nn] += er * dvRe[nn] - ei * dvIm[nn];
        outIm[nn] += er * dvIm[nn] + ei * dvRe[nn];
      }
    }
  }

  /**
   * Directional derivative of phase i's current at phase voltage v along dv. Each region of
   * the model is differentiated analytically; the CVR model, a product of powers, by a central
   * difference small enough to stay inside its region.
   */
  currentDerivative(i: number, vr: number, vi: number, dr: number, di: number): { re: number; im: number } {
    const p = this.p;
    const vm = Math.sqrt(vr * vr + vi * vi);
    const times = (c: { re: number; im: number }) => ({
      re: c.re * dr - c.im * di,
      im: c.re * di + c.im * dr,
    });
    if (p.model === 2 || vm <= this.vLow) return times(this.yeq);
    // d|V| and the change of the unit phasor u = V/|V|
    const dm = (vr * dr + vi * di) / vm;
    const ur = vr / vm;
    const ui = vi / vm;
    const dur = dr / vm - (ur * dm) / vm;
    const dui = di / vm - (ui * dm) / vm;
    if (vm <= this.v95) {
      // I = c(|V|)·u with c = ILow + m(|V| − VLow)
      const m = p.model === 5 ? this.m95I : this.m95;
      const k = vm - this.vLow;
      const cr = this.iLow.re + m.re * k;
      const ci = this.iLow.im + m.im * k;
      return {
        re: m.re * dm * ur - m.im * dm * ui + cr * dur - ci * dui,
        im: m.re * dm * ui + m.im * dm * ur + cr * dui + ci * dur,
      };
    }
    if (vm > this.v105) return times(p.model === 5 ? this.yeq105I : this.yeq105);
    if (p.model === 5) {
      // I = conj(S)/Vbase · u
      const sr = p.pNomW / p.vBaseV;
      const si = -p.qNomVar / p.vBaseV;
      return { re: sr * dur - si * dui, im: sr * dui + si * dur };
    }
    if (p.model === 4) {
      const h = (1e-7 * vm) / Math.max(Math.sqrt(dr * dr + di * di), 1e-300);
      this.phaseCurrent(i, vr + h * dr, vi + h * di);
      const pr = this.phaseCurrentRe[i];
      const pi = this.phaseCurrentIm[i];
      this.phaseCurrent(i, vr - h * dr, vi - h * di);
      const out = {
        re: (pr - this.phaseCurrentRe[i]) / (2 * h),
        im: (pi - this.phaseCurrentIm[i]) / (2 * h),
      };
      this.phaseCurrent(i, vr, vi);
      return out;
    }
    // constant power: I = conj(S)/conj(V), dI = −conj(S)/conj(V)² · conj(dV)
    const cr = p.pNomW;
    const ci = -p.qNomVar;
    const wr = vr;
    const wi = -vi;
    const w2r = wr * wr - wi * wi;
    const w2i = 2 * wr * wi;
    const den = w2r * w2r + w2i * w2i;
    const ar = -(cr * w2r + ci * w2i) / den;
    const ai = -(ci * w2r - cr * w2i) / den;
    return { re: ar * dr + ai * di, im: ai * dr - ar * di };
  }

  /** Current into each conductor from the load model, amperes. */
  terminalCurrents(vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    outRe.fill(0);
    outIm.fill(0);
    this.evaluate(vRe, vIm);
    for (let i = 0; i < this.p.phases; i++) {
      const j = this.other(i);
      outRe[i] += this.phaseCurrentRe[i];
      outIm[i] += this.phaseCurrentIm[i];
      outRe[j] -= this.phaseCurrentRe[i];
      outIm[j] -= this.phaseCurrentIm[i];
    }
  }

  private evaluate(vRe: Float64Array, vIm: Float64Array): void {
    for (let i = 0; i < this.p.phases; i++) {
      const j = this.other(i);
      this.vph.re[i] = vRe[i] - vRe[j];
      this.vph.im[i] = vIm[i] - vIm[j];
      this.phaseCurrent(i, this.vph.re[i], this.vph.im[i]);
    }
  }

  private phaseCurrent(i: number, vr: number, vi: number): void {
    loadCurrent(this.parameters, 0, this.p.model, vr, vi, this.scratch);
    this.phaseCurrentRe[i] = this.scratch[0];
    this.phaseCurrentIm[i] = this.scratch[1];
  }
}
