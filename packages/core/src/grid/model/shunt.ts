import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, type Terminal, twoTerminal, vanishingDiagonal } from './element.js';

/**
 * Primitive of n equal branch admittances y: wye, between each conductor of terminal 1 and
 * terminal 2; delta, as OpenDSS builds it for a shunt bank, 2y on the diagonal and −y between
 * every pair of phases.
 */
function branchMatrix(n: number, conn: 'wye' | 'delta', y: { re: number; im: number }): CMatrix {
  const m = new CMatrix(n);
  if (conn === 'wye') {
    for (let i = 0; i < n; i++) m.set(i, i, y.re, y.im);
    return twoTerminal(m);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) m.set(i, i, 2 * y.re, 2 * y.im);
      else m.set(i, j, -y.re, -y.im);
    }
  return m;
}

/**
 * A capacitor bank: per-step capacitance per phase, wye (between its two terminals,
 * the second usually grounded) or delta (between phases of one terminal).
 */
export interface CapacitorParams {
  id: string;
  terminals: Terminal[];
  phases: number;
  conn: 'wye' | 'delta';
  /** susceptance ωC per phase of each step, siemens */
  stepSusceptance: number[];
  /** series resistance and reactance of each step's filter reactor, ohms */
  stepROhms: number[];
  stepXOhms: number[];
  states: number[];
}

export class CapacitorElement implements NetworkElement {
  readonly kind = 'capacitor' as const;
  readonly isSeries: boolean;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  readonly steps: number;
  /** step states, 1 = in service; changed by capacitor controls */
  states: number[];
  private readonly p: CapacitorParams;

  constructor(p: CapacitorParams) {
    this.p = p;
    this.id = p.id;
    this.terminals = p.terminals;
    this.condsPerTerminal = p.phases;
    this.steps = p.stepSusceptance.length;
    this.states = [...p.states];
    this.isSeries = p.terminals.length === 2 && p.terminals[0].bus !== p.terminals[1].bus;
  }

  /** Admittance of one phase with all steps that are in service. */
  private branchAdmittance(): { re: number; im: number } {
    let re = 0;
    let im = 0;
    for (let s = 0; s < this.steps; s++) {
      if (!this.states[s]) continue;
      const b = this.p.stepSusceptance[s];
      const r = this.p.stepROhms[s];
      const x = this.p.stepXOhms[s];
      if (r + Math.abs(x) > 0) {
        // filter reactor in series: y = 1 / (R + jX + 1/(jb))
        const zr = r;
        const zi = x - 1 / b;
        const d = zr * zr + zi * zi;
        re += zr / d;
        im += -zi / d;
      } else {
        im += b;
      }
    }
    return { re, im };
  }

  yprim(): CMatrix {
    return branchMatrix(this.p.phases, this.p.conn, this.branchAdmittance());
  }

  yprimSeries(): CMatrix {
    return this.isSeries ? this.yprim() : vanishingDiagonal(this.yprim());
  }
}

/** A series or shunt reactor given by R and X per phase. */
export interface ReactorParams {
  id: string;
  terminals: Terminal[];
  phases: number;
  conn: 'wye' | 'delta';
  rOhms: number;
  xOhms: number;
  /** parallel resistance, ohms, 0 for none */
  rpOhms: number;
}

export class ReactorElement implements NetworkElement {
  readonly kind = 'reactor' as const;
  readonly isSeries: boolean;
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  private readonly p: ReactorParams;

  constructor(p: ReactorParams) {
    this.p = p;
    this.id = p.id;
    this.terminals = p.terminals;
    this.condsPerTerminal = p.phases;
    this.isSeries = p.terminals.length === 2 && p.terminals[0].bus !== p.terminals[1].bus;
  }

  private admittance(): { re: number; im: number } {
    const { rOhms: r, xOhms: x, rpOhms } = this.p;
    const d = r * r + x * x;
    return { re: r / d + (rpOhms > 0 ? 1 / rpOhms : 0), im: -x / d };
  }

  yprim(): CMatrix {
    return branchMatrix(this.p.phases, this.p.conn, this.admittance());
  }

  yprimSeries(): CMatrix {
    // a single-phase shunt reactor is a grounding path and stays in the zero-load network
    if (this.isSeries || this.p.phases === 1) return this.yprim();
    return vanishingDiagonal(this.yprim());
  }
}
