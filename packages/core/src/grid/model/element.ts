import type { CMatrix } from '../../linalg/index.js';

/** One terminal: the bus it connects to and the bus node of each conductor (0 = ground). */
export interface Terminal {
  bus: string;
  nodes: number[];
}

export type ElementKind =
  | 'vsource'
  | 'line'
  | 'transformer'
  | 'capacitor'
  | 'reactor'
  | 'load'
  | 'generator'
  | 'fault';

/**
 * A network element as the power flow sees it: terminals, conductors per terminal and
 * primitive admittance matrices in siemens, conductor order terminal by terminal.
 */
export interface NetworkElement {
  readonly kind: ElementKind;
  /** "Class.name" as in the script, lower-case name */
  readonly id: string;
  readonly terminals: Terminal[];
  readonly condsPerTerminal: number;
  /** Full primitive admittance used in the power flow; shared, callers must not modify it. */
  yprim(): CMatrix;
  /** Series-only part used in the zero-load solution that sets voltage bases; shared too. */
  yprimSeries(): CMatrix;
  /** True for elements that carry power between buses (lines, transformers, series reactors). */
  readonly isSeries: boolean;
}

/** OpenDSS keeps shunt devices out of the zero-load network with a vanishing diagonal. */
export function vanishingDiagonal(y: CMatrix): CMatrix {
  const out = y.clone().scale(0);
  for (let i = 0; i < y.n; i++) out.set(i, i, y.re[i * y.n + i] * 1e-10, y.im[i * y.n + i] * 1e-10);
  return out;
}

/** [[Y, −Y], [−Y, Y]] for an n×n branch admittance Y between two terminals. */
export function twoTerminal(y: CMatrix): CMatrix {
  const n = y.n;
  const out = new (y.constructor as new (n: number) => CMatrix)(2 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const r = y.re[i * n + j];
      const im = y.im[i * n + j];
      out.set(i, j, r, im);
      out.set(n + i, n + j, r, im);
      out.set(i, n + j, -r, -im);
      out.set(n + i, j, -r, -im);
    }
  return out;
}

/** Zeroes the rows and columns of a terminal's conductors: an open switch end. */
export function openTerminal(y: CMatrix, terminal: number, conds: number): void {
  const n = y.n;
  for (let c = 0; c < conds; c++) {
    const k = terminal * conds + c;
    for (let j = 0; j < n; j++) {
      y.set(k, j, 0, 0);
      y.set(j, k, 0, 0);
    }
  }
}
