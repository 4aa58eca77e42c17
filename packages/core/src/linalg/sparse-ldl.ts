import { NumericalError } from '../errors/index.js';
import { etreeReach, LdlSymbolic } from './ldl-symbolic.js';

/**
 * Sparse LDLᵀ factorization of a complex symmetric (not Hermitian) matrix, the shape of
 * every nodal admittance matrix built from reciprocal elements.
 *
 * Values are stamped into `val` (interleaved re, im) at the positions the symbolic analysis
 * gives, then factorized; restamping and refactoring reuse the analysis, which is what a
 * power flow needs when a regulator tap or a capacitor step changes. The factorization is the
 * up-looking algorithm (row k of L from a sparse triangular solve along the elimination
 * tree), without pivoting: admittance matrices of passive networks have a dominant diagonal
 * once every node is referenced, so a vanishing pivot means the network itself is singular.
 */
export class SparseLdl {
  readonly symbolic: LdlSymbolic;
  readonly n: number;
  /** matrix values at the symbolic pattern's positions, interleaved re, im */
  readonly val: Float64Array;
  private readonly li: Int32Array;
  /** L values, interleaved re, im */
  private readonly lx: Float64Array;
  /** reciprocals of the D values, interleaved */
  private readonly d: Float64Array;
  private readonly lnz: Int32Array;
  private readonly flag: Int32Array;
  private readonly pattern: Int32Array;
  /** work vector, interleaved */
  private readonly y: Float64Array;
  private factored = false;

  constructor(symbolic: LdlSymbolic) {
    this.symbolic = symbolic;
    const n = symbolic.n;
    this.n = n;
    this.val = new Float64Array(2 * symbolic.nonzeros);
    const lnzTotal = symbolic.lp[n];
    this.li = new Int32Array(lnzTotal);
    this.lx = new Float64Array(2 * lnzTotal);
    this.d = new Float64Array(2 * n);
    this.lnz = new Int32Array(n);
    this.flag = new Int32Array(n);
    this.pattern = new Int32Array(n);
    this.y = new Float64Array(2 * n);
  }

  /** Analyses the pattern and allocates a factorization for it in one step. */
  static fromPattern(n: number, edges: ArrayLike<number>): SparseLdl {
    return new SparseLdl(new LdlSymbolic(n, edges));
  }

  /** Number of stored entries of L (off-diagonal), a measure of fill. */
  get factorNonzeros(): number {
    return this.symbolic.lp[this.n];
  }

  slot(i: number, j: number): number {
    return this.symbolic.slot(i, j);
  }

  clearValues(): void {
    this.val.fill(0);
    this.factored = false;
  }

  /** Marks the factorization stale after `val` was changed directly. */
  invalidate(): void {
    this.factored = false;
  }

  /**
   * Numeric factorization of the current values.
   * @param describe names original index i in an error message (a bus and phase)
   */
  factor(describe: (i: number) => string = (i) => `row ${i}`): void {
    const { n, lnz, flag, pattern, val, li, lx, d, y } = this;
    const { parent, colPtr, rowIdx, lp, perm } = this.symbolic;
    let maxDiag = 0;
    for (let k = 0; k < n; k++) {
      const p = 2 * (colPtr[k + 1] - 1);
      maxDiag = Math.max(maxDiag, Math.sqrt(val[p] * val[p] + val[p + 1] * val[p + 1]));
    }
    const tiny = maxDiag * 1e-15;
    for (let k = 0; k < n; k++) {
      y[2 * k] = 0;
      y[2 * k + 1] = 0;
      let top = n;
      flag[k] = k;
      lnz[k] = 0;
      for (let p = colPtr[k]; p < colPtr[k + 1]; p++) {
        const i = rowIdx[p];
        y[2 * i] += val[2 * p];
        y[2 * i + 1] += val[2 * p + 1];
        top = etreeReach(i, k, parent, flag, pattern, top);
      }
      let dr = y[2 * k];
      let di = y[2 * k + 1];
      y[2 * k] = 0;
      y[2 * k + 1] = 0;
      for (; top < n; top++) {
        const i = pattern[top];
        const yr = y[2 * i];
        const yi = y[2 * i + 1];
        y[2 * i] = 0;
        y[2 * i + 1] = 0;
        const p2 = lp[i] + lnz[i];
        for (let p = lp[i]; p < p2; p++) {
          const r = 2 * li[p];
          const lr = lx[2 * p];
          const lim = lx[2 * p + 1];
          y[r] -= lr * yr - lim * yi;
          y[r + 1] -= lr * yi + lim * yr;
        }
        // l_ki = y_i / d_i, with 1/d_i stored
        const qr = d[2 * i];
        const qi = d[2 * i + 1];
        const lr = yr * qr - yi * qi;
        const lim = yr * qi + yi * qr;
        dr -= lr * yr - lim * yi;
        di -= lr * yi + lim * yr;
        li[p2] = k;
        lx[2 * p2] = lr;
        lx[2 * p2 + 1] = lim;
        lnz[i]++;
      }
      if (!(Math.sqrt(dr * dr + di * di) > tiny)) {
        this.factored = false;
        throw new NumericalError(
          `admittance matrix is singular at ${describe(perm[k])}: the node has no path to a voltage reference or is shorted by a zero-impedance loop`,
          { details: { index: perm[k] } },
        );
      }
      // the solve multiplies by 1/d
      const den = dr * dr + di * di;
      d[2 * k] = dr / den;
      d[2 * k + 1] = -di / den;
    }
    this.factored = true;
  }

  /** Solves A x = b; b and x are in original numbering and may be the same arrays. */
  solve(bRe: ArrayLike<number>, bIm: ArrayLike<number>, xRe: Float64Array, xIm: Float64Array): void {
    if (!this.factored) throw new NumericalError('solve called before a successful factorization');
    const { n, li, lx, d, y } = this;
    const { perm, lp } = this.symbolic;
    for (let k = 0; k < n; k++) {
      const o = perm[k];
      y[2 * k] = bRe[o];
      y[2 * k + 1] = bIm[o];
    }
    for (let j = 0; j < n; j++) {
      const xr = y[2 * j];
      const xi = y[2 * j + 1];
      const end = lp[j + 1];
      for (let p = lp[j]; p < end; p++) {
        const r = 2 * li[p];
        const lr = lx[2 * p];
        const lim = lx[2 * p + 1];
        y[r] -= lr * xr - lim * xi;
        y[r + 1] -= lr * xi + lim * xr;
      }
    }
    for (let j = 0; j < n; j++) {
      const ar = y[2 * j];
      const ai = y[2 * j + 1];
      const qr = d[2 * j];
      const qi = d[2 * j + 1];
      y[2 * j] = ar * qr - ai * qi;
      y[2 * j + 1] = ar * qi + ai * qr;
    }
    for (let j = n - 1; j >= 0; j--) {
      let sr = y[2 * j];
      let si = y[2 * j + 1];
      const end = lp[j + 1];
      for (let p = lp[j]; p < end; p++) {
        const r = 2 * li[p];
        const lr = lx[2 * p];
        const lim = lx[2 * p + 1];
        sr -= lr * y[r] - lim * y[r + 1];
        si -= lr * y[r + 1] + lim * y[r];
      }
      y[2 * j] = sr;
      y[2 * j + 1] = si;
    }
    for (let k = 0; k < n; k++) {
      const o = perm[k];
      xRe[o] = y[2 * k];
      xIm[o] = y[2 * k + 1];
    }
  }

  /**
   * Entry (i, i) of the inverse, [re, im]: with A = L·D·Lᵀ it is Σ_j w_j²/D_j for w = L⁻¹e_i, and
   * w is nonzero only on i's path up the elimination tree, so it costs that path, not a solve.
   */
  inverseDiagonal(i: number): [number, number] {
    if (!this.factored) throw new NumericalError('inverseDiagonal called before a successful factorization');
    const { n, li, lx, d, y } = this;
    const { parent, lp, pinv } = this.symbolic;
    for (let j = pinv[i]; j >= 0 && j < n; j = parent[j]) {
      y[2 * j] = 0;
      y[2 * j + 1] = 0;
    }
    y[2 * pinv[i]] = 1;
    let re = 0;
    let im = 0;
    // column j of L has its nonzeros at j's ancestors only: the sweep stays on the path
    for (let j = pinv[i]; j >= 0 && j < n; j = parent[j]) {
      const xr = y[2 * j];
      const xi = y[2 * j + 1];
      for (let p = lp[j]; p < lp[j + 1]; p++) {
        const r = 2 * li[p];
        y[r] -= lx[2 * p] * xr - lx[2 * p + 1] * xi;
        y[r + 1] -= lx[2 * p] * xi + lx[2 * p + 1] * xr;
      }
      // w_j² times the reciprocal of D_j
      const sr = xr * xr - xi * xi;
      const si = 2 * xr * xi;
      re += sr * d[2 * j] - si * d[2 * j + 1];
      im += sr * d[2 * j + 1] + si * d[2 * j];
    }
    return [re, im];
  }
}
