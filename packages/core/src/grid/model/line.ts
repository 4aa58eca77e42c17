import { NumericalError } from '../../errors/index.js';
import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, openTerminal, type Terminal, twoTerminal } from './element.js';

/** Whole-length series impedance (ohms) and total shunt susceptance matrix (siemens). */
export interface LineParams {
  id: string;
  terminals: [Terminal, Terminal];
  phases: number;
  zRe: Float64Array;
  zIm: Float64Array;
  /** total shunt susceptance ωC over the whole length, siemens; half goes to each end */
  bTotal: Float64Array;
  normAmps: number;
  emergAmps: number;
  isSwitch: boolean;
  /** terminals (0-based) whose phase conductors are open */
  openTerminals: number[];
}

/** OpenDSS adds this to the zero-load network's diagonal so that no line end floats. */
const capEpsilon = 4.2e-8;

export class LineElement implements NetworkElement {
  readonly kind = 'line' as const;
  readonly isSeries = true;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  readonly normAmps: number;
  readonly emergAmps: number;
  readonly isSwitch: boolean;
  readonly openTerminals: number[];
  private readonly ySeries: CMatrix;
  private readonly yShunt: CMatrix;

  constructor(p: LineParams) {
    this.id = p.id;
    this.terminals = p.terminals;
    this.condsPerTerminal = p.phases;
    this.normAmps = p.normAmps;
    this.emergAmps = p.emergAmps;
    this.isSwitch = p.isSwitch;
    this.openTerminals = p.openTerminals;
    const z = CMatrix.from(p.phases, p.zRe, p.zIm);
    let y: CMatrix;
    try {
      y = z.inverse();
    } catch (e) {
      throw new NumericalError(
        `series impedance is zero or singular; a zero-impedance line cannot be solved (give it a small r1)`,
        { location: { element: p.id }, cause: e },
      );
    }
    this.ySeries = twoTerminal(y);
    const n = p.phases;
    this.yShunt = new CMatrix(2 * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const b = p.bTotal[i * n + j] / 2;
        this.yShunt.set(i, j, 0, b);
        this.yShunt.set(n + i, n + j, 0, b);
      }
  }

  private full: CMatrix | undefined;
  private seriesOnly: CMatrix | undefined;

  yprim(): CMatrix {
    this.full ??= this.withOpenEnds(this.ySeries.clone().addMatrix(this.yShunt));
    return this.full;
  }

  yprimSeries(): CMatrix {
    if (!this.seriesOnly) {
      const y = this.ySeries.clone();
      for (let i = 0; i < y.n; i++) y.add(i, i, 0, capEpsilon);
      this.seriesOnly = this.withOpenEnds(y);
    }
    return this.seriesOnly;
  }

  /**
   * An open end is eliminated (Kron) rather than just cut, so the line's charging stays on
   * the closed end, as OpenDSS does; the open conductors are then left out of the network.
   */
  private withOpenEnds(y: CMatrix): CMatrix {
    if (this.openTerminals.length === 0) return y;
    const n = y.n;
    for (const t of this.openTerminals) {
      for (let c = 0; c < this.condsPerTerminal; c++) {
        const r = t * this.condsPerTerminal + c;
        let pr = y.re[r * n + r];
        let pi = y.im[r * n + r];
        if (pr === 0 && pi === 0) pr = 1e-12;
        const d = pr * pr + pi * pi;
        const ir = pr / d;
        pi = -pi / d;
        pr = ir;
        for (let i = 0; i < n; i++) {
          if (i === r) continue;
          const ar = y.re[i * n + r];
          const ai = y.im[i * n + r];
          if (ar === 0 && ai === 0) continue;
          // f = Y[i][r] / Y[r][r]
          const fr = ar * pr - ai * pi;
          const fi = ar * pi + ai * pr;
          for (let j = 0; j < n; j++) {
            if (j === r) continue;
            const br = y.re[r * n + j];
            const bi = y.im[r * n + j];
            y.re[i * n + j] -= fr * br - fi * bi;
            y.im[i * n + j] -= fr * bi + fi * br;
          }
        }
      }
      openTerminal(y, t, this.condsPerTerminal);
    }
    return y;
  }
}
