import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, type Terminal, vanishingDiagonal } from './element.js';

export interface PvGeneratorParams {
  id: string;
  terminal: Terminal;
  phases: number;
  conn: 'wye' | 'delta';
  /** the generator's VBase, volts: line-to-neutral for 2 and 3 phases, as OpenDSS keeps it */
  vBaseV: number;
  /** per-phase active power, W, generation positive, multipliers applied */
  pNomW: number;
  /** per-phase reactive power the iteration starts from when it continues a solution, var */
  qStartVar: number;
  /** per-phase reactive power at kvar, where a fresh solution starts, var */
  qKvarVar: number;
  /** per-phase reactive power when the network's matrix was built: what its 1 % admittance holds */
  qAtBuildVar: number;
  qMaxVar: number;
  qMinVar: number;
  /** target voltage, per unit of the rated kV */
  vPu: number;
  /** the target as OpenDSS compares it: line-to-neutral volts (line-to-line/√3 for a delta) */
  vTargetV: number;
  /** OpenDSS's PVFactor: the share of the estimated var step taken per iteration */
  pvFactor: number;
  /** dQ/dV from an earlier solution of the same circuit, or undefined to compute it */
  dqdv: number | undefined;
}

/**
 * OpenDSS's Generator model 3: constant P with |V| held at a target by the reactive power,
 * which each power-flow iteration moves by PVFactor·dQ/dV·(Vtarget − |V|avg), at most 10 % of
 * the var range, and clamps to the limits. Only 1 % of the generator's equivalent admittance
 * sits in the network matrix; the injection carries the rest. The var state persists between
 * iterations, control iterations and solves, as the object's does in OpenDSS.
 */
export class PvGeneratorElement implements NetworkElement {
  readonly kind = 'generator' as const;
  readonly isSeries = false;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  readonly p: PvGeneratorParams;
  /** per-phase admittance in the matrix, siemens */
  readonly yMatrix: { re: number; im: number };
  readonly otherConductor: Int32Array;
  private readonly y: CMatrix;
  /** present reactive power per phase, var */
  qVar: number;
  /** OpenDSS's DQDV: 2·|Yii|·VBase·Vpu, from the first conductor's diagonal of the matrix */
  dqdv: number;
  /** the active power multiplier of the present time step */
  pScale = 1;
  readonly deltaQMax: number;

  constructor(p: PvGeneratorParams) {
    this.p = p;
    this.id = p.id;
    this.terminals = [p.terminal];
    this.condsPerTerminal = p.conn === 'delta' && p.phases >= 3 ? p.phases : p.phases + 1;
    this.otherConductor = Int32Array.from({ length: p.phases }, (_, i) =>
      p.conn === 'wye' ? p.phases : (i + 1) % this.condsPerTerminal,
    );
    const v2 = p.vBaseV * p.vBaseV;
    // Yeq = (P − jQ)/VBase² of the generator as a load, negated for generation, 1 % of it
    const scale = p.conn === 'delta' ? 300 : 100;
    this.yMatrix = { re: -p.pNomW / v2 / scale, im: p.qAtBuildVar / v2 / scale };
    this.y = this.buildYprim();
    this.qVar = p.qStartVar;
    this.dqdv = p.dqdv ?? 0;
    this.deltaQMax = (p.qMaxVar - p.qMinVar) * 0.1;
  }

  private buildYprim(): CMatrix {
    const n = this.p.phases;
    const m = new CMatrix(this.condsPerTerminal);
    const { re, im } = this.yMatrix;
    for (let i = 0; i < n; i++) {
      const j = this.otherConductor[i];
      m.add(i, i, re, im);
      m.add(j, j, re, im);
      m.add(i, j, -re, -im);
      m.add(j, i, -re, -im);
    }
    return m;
  }

  yprim(): CMatrix {
    return this.y;
  }

  yprimSeries(): CMatrix {
    return vanishingDiagonal(this.y);
  }

  /** dQ/dV from the matrix diagonal at the first conductor's node, as OpenDSS's CalcDQDV. */
  setDqdvFromDiagonal(yiiRe: number, yiiIm: number): void {
    this.dqdv = 2 * Math.hypot(yiiRe, yiiIm) * this.p.vBaseV * this.p.vPu;
  }

  /**
   * One iteration's var update from the phase voltages (volts; phase conductor minus neutral or
   * next phase), then the current generated into each phase conductor, written to outRe/outIm.
   */
  update(vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const n = this.p.phases;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.hypot(vRe[i], vIm[i]);
    const vAvg = this.p.conn === 'delta' ? sum / (Math.sqrt(3) * n) : sum / n;
    let dq = this.p.pvFactor * this.dqdv * (this.p.vTargetV - vAvg);
    if (Math.abs(dq) > this.deltaQMax) dq = dq < 0 ? -this.deltaQMax : this.deltaQMax;
    this.qVar += dq;
    if (this.qVar > this.p.qMaxVar) this.qVar = this.p.qMaxVar;
    else if (this.qVar < this.p.qMinVar) this.qVar = this.p.qMinVar;
    this.currents(vRe, vIm, outRe, outIm);
  }

  /** The current generated into each phase conductor at the present vars: conj(S/V). */
  currents(vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const pw = this.p.pNomW * this.pScale;
    const qv = this.qVar;
    for (let i = 0; i < this.p.phases; i++) {
      const vr = vRe[i];
      const vi = vIm[i];
      const d = vr * vr + vi * vi;
      outRe[i] = (pw * vr + qv * vi) / d;
      outIm[i] = (pw * vi - qv * vr) / d;
    }
  }

  /** Current into each conductor (the load convention of every element), amperes. */
  terminalCurrents(vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const n = this.p.phases;
    const pr = new Float64Array(n);
    const pi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = this.otherConductor[i];
      pr[i] = vRe[i] - vRe[j];
      pi[i] = vIm[i] - vIm[j];
    }
    const gr = new Float64Array(n);
    const gi = new Float64Array(n);
    this.currents(pr, pi, gr, gi);
    outRe.fill(0);
    outIm.fill(0);
    for (let i = 0; i < n; i++) {
      const j = this.otherConductor[i];
      outRe[i] -= gr[i];
      outIm[i] -= gi[i];
      outRe[j] += gr[i];
      outIm[j] += gi[i];
    }
  }
}
