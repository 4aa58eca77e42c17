import { NumericalError } from '../../errors/index.js';
import { CMatrix } from '../../linalg/index.js';
import type { NetworkElement, Terminal } from './element.js';

export interface WindingParams {
  conn: 'wye' | 'delta';
  /** volts across one phase of the winding at nominal tap */
  vBaseV: number;
  tap: number;
  minTap: number;
  maxTap: number;
  numTaps: number;
  /** per unit on winding 1's kVA */
  rPu: number;
  rNeutOhms: number;
  xNeutOhms: number;
}

export interface TransformerParams {
  id: string;
  terminals: Terminal[];
  phases: number;
  windings: WindingParams[];
  /** winding 1's rating, VA, all phases */
  vaBase: number;
  /** short-circuit reactances, pu on vaBase: X12, X13, …, X1N, X23, … */
  xscPu: number[];
  pctNoLoadLoss: number;
  pctImag: number;
  ppmAntiFloat: number;
  /** +1 or −1: which neighbouring phase closes a delta winding */
  deltaDirection: 1 | -1;
  normAmps: number;
}

/**
 * A multi-winding transformer built the way OpenDSS builds it: a short-circuit impedance
 * matrix on a one-volt base, inverted and spread over the winding ends through an incidence
 * matrix, each winding scaled by its voltage base times its tap, then mapped per phase onto
 * terminal conductors (wye: phase to neutral; delta: phase to the next phase).
 */
export class TransformerElement implements NetworkElement {
  readonly kind = 'transformer' as const;
  readonly isSeries = true;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  readonly phases: number;
  readonly windings: WindingParams[];
  readonly normAmps: number;
  private readonly p: TransformerParams;
  private readonly y1Volt: CMatrix;
  private cache: { series: CMatrix; shunt: CMatrix; full: CMatrix } | undefined;

  constructor(p: TransformerParams) {
    this.p = p;
    this.id = p.id;
    this.terminals = p.terminals;
    this.phases = p.phases;
    this.condsPerTerminal = p.phases + 1;
    this.windings = p.windings.map((w) => ({ ...w }));
    this.normAmps = p.normAmps;
    this.y1Volt = this.oneVoltAdmittance();
  }

  /** Tap increment of a winding, pu per step. */
  tapIncrement(w: number): number {
    const wd = this.windings[w];
    return wd.numTaps > 0 ? (wd.maxTap - wd.minTap) / wd.numTaps : 0;
  }

  /** Sets a winding's tap, clamped to its range; returns true if it changed. */
  setTap(w: number, tap: number): boolean {
    const wd = this.windings[w];
    const t = Math.min(wd.maxTap, Math.max(wd.minTap, tap));
    if (t === wd.tap) return false;
    wd.tap = t;
    this.cache = undefined;
    return true;
  }

  tapPosition(w: number): number {
    const wd = this.windings[w];
    const inc = this.tapIncrement(w);
    return inc > 0 ? roundHalfEven((wd.tap - (wd.maxTap + wd.minTap) / 2) / inc) : 0;
  }

  private oneVoltAdmittance(): CMatrix {
    const nw = this.p.windings.length;
    const zBase = this.p.phases / this.p.vaBase;
    const zb = new CMatrix(nw - 1);
    const r = this.p.windings.map((w) => w.rPu);
    for (let i = 0; i < nw - 1; i++) zb.set(i, i, (r[0] + r[i + 1]) * zBase, this.p.xscPu[i] * zBase);
    let k = nw - 1;
    for (let i = 0; i < nw - 1; i++)
      for (let j = i + 1; j < nw - 1; j++) {
        const zij = { re: (r[i + 1] + r[j + 1]) * zBase, im: this.p.xscPu[k] * zBase };
        const a = zb.get(i, i);
        const b = zb.get(j, j);
        const re = 0.5 * (a.re + b.re - zij.re);
        const im = 0.5 * (a.im + b.im - zij.im);
        zb.set(i, j, re, im);
        zb.set(j, i, re, im);
        k++;
      }
    let zbInv: CMatrix;
    try {
      zbInv = zb.inverse();
    } catch (e) {
      throw new NumericalError(`winding short-circuit impedances are zero or inconsistent`, {
        location: { element: this.id },
        cause: e,
      });
    }
    // Y_1V = Aᵀ · ZB⁻¹ · A with A[k] = −e1 + e(k+1)
    const y = new CMatrix(nw);
    const col = (w: number, k: number) => (w === 0 ? -1 : w === k + 1 ? 1 : 0);
    for (let a = 0; a < nw; a++)
      for (let b = 0; b < nw; b++) {
        let re = 0;
        let im = 0;
        for (let i = 0; i < nw - 1; i++) {
          const ca = col(a, i);
          if (ca === 0) continue;
          for (let j = 0; j < nw - 1; j++) {
            const cb = col(b, j);
            if (cb === 0) continue;
            const v = zbInv.get(i, j);
            re += ca * cb * v.re;
            im += ca * cb * v.im;
          }
        }
        y.set(a, b, re, im);
      }
    return y;
  }

  /** Conductor index (within the element) of the + and − end of winding w, phase i. */
  windingEnds(w: number, i: number): [number, number] {
    const nc = this.condsPerTerminal;
    const base = w * nc;
    if (this.phases === 1) return [base, base + 1];
    if (this.windings[w].conn === 'wye') return [base + i, base + this.phases];
    let j = i + this.p.deltaDirection;
    if (this.phases > 2) j = (j + this.phases) % this.phases;
    else if (j < 0) j = 2;
    return [base + i, base + j];
  }

  private build(): { series: CMatrix; shunt: CMatrix; full: CMatrix } {
    if (this.cache) return this.cache;
    const nw = this.windings.length;
    const nc = this.condsPerTerminal;
    const order = nw * nc;
    const series = new CMatrix(order);
    const shunt = new CMatrix(order);
    const zBase = this.p.phases / this.p.vaBase;
    const n = this.windings.map((w) => w.vBaseV * (w.tap === 0 ? 0.0001 : w.tap));
    const yPpm = this.windings.map(
      (w) => (-(this.p.ppmAntiFloat * 1e-6) * (this.p.vaBase / this.p.phases)) / (w.vBaseV * w.vBaseV) / 2,
    );
    const gNl = this.p.pctNoLoadLoss / 100 / zBase;
    const bNl = -this.p.pctImag / 100 / zBase;
    for (let ph = 0; ph < this.phases; ph++) {
      for (let a = 0; a < nw; a++)
        for (let b = 0; b < nw; b++) {
          const v = this.y1Volt.get(a, b);
          const s = 1 / (n[a] * n[b]);
          const [ap, am] = this.windingEnds(a, ph);
          const [bp, bm] = this.windingEnds(b, ph);
          stampBranch(series, ap, am, bp, bm, v.re * s, v.im * s);
          if (a === 1 && b === 1 && (gNl !== 0 || bNl !== 0)) {
            stampBranch(shunt, ap, am, bp, bm, gNl * s, bNl * s);
          }
        }
      if (this.p.ppmAntiFloat !== 0)
        for (let w = 0; w < nw; w++) {
          const [p, m] = this.windingEnds(w, ph);
          series.add(p, p, 0, yPpm[w]);
          series.add(m, m, 0, yPpm[w]);
        }
    }
    for (let w = 0; w < nw; w++) {
      const wd = this.windings[w];
      if (wd.conn !== 'wye') continue;
      const r = w * nc + (this.phases === 1 ? 1 : this.phases);
      if (wd.rNeutOhms >= 0) {
        if (wd.rNeutOhms === 0 && wd.xNeutOhms === 0) series.add(r, r, 1e6, 0);
        else {
          const d = wd.rNeutOhms ** 2 + wd.xNeutOhms ** 2;
          series.add(r, r, wd.rNeutOhms / d, -wd.xNeutOhms / d);
        }
      } else if (this.p.ppmAntiFloat !== 0) {
        series.add(r, r, 0, yPpm[w]);
      }
    }
    this.cache = { series, shunt, full: series.clone().addMatrix(shunt) };
    return this.cache;
  }

  yprim(): CMatrix {
    return this.build().full;
  }

  yprimSeries(): CMatrix {
    return this.build().series;
  }
}

/** Adds y between winding ends: (+,+) y, (+,−) −y, (−,+) −y, (−,−) y for the pair of windings. */
function stampBranch(
  m: CMatrix,
  ap: number,
  am: number,
  bp: number,
  bm: number,
  re: number,
  im: number,
): void {
  m.add(ap, bp, re, im);
  m.add(ap, bm, -re, -im);
  m.add(am, bp, -re, -im);
  m.add(am, bm, re, im);
}

/** Pascal's Round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
