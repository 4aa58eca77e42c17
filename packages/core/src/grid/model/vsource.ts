import { NumericalError } from '../../errors/index.js';
import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, type Terminal, twoTerminal } from './element.js';

/** Thevenin source: a voltage behind a 3×3 (or n×n) sequence-derived impedance, in ohms. */
export interface VsourceParams {
  id: string;
  terminals: [Terminal, Terminal];
  phases: number;
  /** magnitude of each phase voltage, volts */
  vMagV: number;
  angleDeg: number;
  sequence: 'pos' | 'neg' | 'zero';
  /** phase impedance matrix, ohms, row-major n×n */
  zRe: Float64Array;
  zIm: Float64Array;
}

export class VsourceElement implements NetworkElement {
  readonly kind = 'vsource' as const;
  readonly isSeries = false;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  private readonly y: CMatrix;
  /** source EMF per phase, volts */
  readonly emfRe: Float64Array;
  readonly emfIm: Float64Array;

  constructor(p: VsourceParams) {
    this.id = p.id;
    this.terminals = p.terminals;
    this.condsPerTerminal = p.phases;
    const z = CMatrix.from(p.phases, p.zRe, p.zIm);
    try {
      this.y = z.inverse();
    } catch (e) {
      throw new NumericalError(`source impedance matrix is singular`, {
        location: { element: p.id },
        cause: e,
      });
    }
    this.emfRe = new Float64Array(p.phases);
    this.emfIm = new Float64Array(p.phases);
    const step = 360 / p.phases;
    for (let i = 0; i < p.phases; i++) {
      const shift = p.sequence === 'pos' ? -i * step : p.sequence === 'neg' ? i * step : 0;
      const a = ((p.angleDeg + shift) * Math.PI) / 180;
      this.emfRe[i] = p.vMagV * Math.cos(a);
      this.emfIm[i] = p.vMagV * Math.sin(a);
    }
  }

  private full: CMatrix | undefined;

  yprim(): CMatrix {
    this.full ??= twoTerminal(this.y);
    return this.full;
  }

  yprimSeries(): CMatrix {
    return this.yprim();
  }

  /** Norton current injected at each conductor: [Y·E; −Y·E]. */
  injection(outRe: Float64Array, outIm: Float64Array): void {
    const n = this.condsPerTerminal;
    const yr = new Float64Array(n);
    const yi = new Float64Array(n);
    this.y.multiplyVector(this.emfRe, this.emfIm, yr, yi);
    for (let i = 0; i < n; i++) {
      outRe[i] = yr[i];
      outIm[i] = yi[i];
      outRe[n + i] = -yr[i];
      outIm[n + i] = -yi[i];
    }
  }
}
