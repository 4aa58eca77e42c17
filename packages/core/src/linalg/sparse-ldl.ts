import { NumericalError } from '../errors/index.js';
import { minimumDegreeOrder } from './ordering.js';

/**
 * Sparse LDLᵀ factorization of a complex symmetric (not Hermitian) matrix, the shape of
 * every nodal admittance matrix built from reciprocal elements.
 *
 * The pattern is analysed once (ordering, elimination tree, column counts); values can then
 * be restamped and refactored any number of times, which is what a power flow needs when a
 * regulator tap or a capacitor step changes. The factorization is the up-looking algorithm
 * (row k of L from a sparse triangular solve along the elimination tree), without pivoting:
 * nodal admittance matrices of passive networks have a dominant diagonal once every node is
 * referenced, so a vanishing pivot means the network itself is singular and is reported.
 */
export class SparseLdl {
  readonly n: number;
  /** new index → original index */
  readonly perm: Int32Array;
  /** original index → new index */
  readonly pinv: Int32Array;
  /** Upper-triangular pattern (row ≤ col) of the permuted matrix, CSC, rows sorted. */
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly valRe: Float64Array;
  readonly valIm: Float64Array;

  private readonly parent: Int32Array;
  private readonly lp: Int32Array;
  private readonly li: Int32Array;
  private readonly lxRe: Float64Array;
  private readonly lxIm: Float64Array;
  private readonly dRe: Float64Array;
  private readonly dIm: Float64Array;
  private readonly lnz: Int32Array;
  private readonly flag: Int32Array;
  private readonly pattern: Int32Array;
  private readonly yRe: Float64Array;
  private readonly yIm: Float64Array;
  private factored = false;

  /**
   * @param n order of the matrix
   * @param edges off-diagonal pattern as pairs (i, j), i ≠ j, in either order; duplicates allowed
   */
  constructor(n: number, edges: ArrayLike<number>) {
    this.n = n;
    const nb: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k + 1 < edges.length; k += 2) {
      const i = edges[k];
      const j = edges[k + 1];
      if (i === j) continue;
      nb[i].push(j);
      nb[j].push(i);
    }
    this.perm = minimumDegreeOrder(n, nb);
    this.pinv = new Int32Array(n);
    for (let k = 0; k < n; k++) this.pinv[this.perm[k]] = k;

    const cols: number[][] = Array.from({ length: n }, (_, k) => [k]);
    for (let i = 0; i < n; i++) {
      const pi = this.pinv[i];
      for (const j of nb[i]) {
        const pj = this.pinv[j];
        if (pi < pj) cols[pj].push(pi);
      }
    }
    this.colPtr = new Int32Array(n + 1);
    let nnz = 0;
    for (let k = 0; k < n; k++) {
      const uniq = [...new Set(cols[k])].sort((a, b) => a - b);
      cols[k] = uniq;
      nnz += uniq.length;
      this.colPtr[k + 1] = nnz;
    }
    this.rowIdx = new Int32Array(nnz);
    for (let k = 0; k < n; k++) this.rowIdx.set(cols[k], this.colPtr[k]);
    this.valRe = new Float64Array(nnz);
    this.valIm = new Float64Array(nnz);

    this.parent = new Int32Array(n);
    this.lnz = new Int32Array(n);
    this.flag = new Int32Array(n);
    this.lp = new Int32Array(n + 1);
    this.symbolic();
    const lnzTotal = this.lp[n];
    this.li = new Int32Array(lnzTotal);
    this.lxRe = new Float64Array(lnzTotal);
    this.lxIm = new Float64Array(lnzTotal);
    this.dRe = new Float64Array(n);
    this.dIm = new Float64Array(n);
    this.pattern = new Int32Array(n);
    this.yRe = new Float64Array(n);
    this.yIm = new Float64Array(n);
  }

  /** Number of stored entries of L (off-diagonal), a measure of fill. */
  get factorNonzeros(): number {
    return this.lp[this.n];
  }

  /** Position in valRe/valIm of entry (i, j) given in original numbering; -1 if not in the pattern. */
  slot(i: number, j: number): number {
    let r = this.pinv[i];
    let c = this.pinv[j];
    if (r > c) {
      const t = r;
      r = c;
      c = t;
    }
    let lo = this.colPtr[c];
    let hi = this.colPtr[c + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.rowIdx[mid];
      if (v === r) return mid;
      if (v < r) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  clearValues(): void {
    this.valRe.fill(0);
    this.valIm.fill(0);
    this.factored = false;
  }

  private symbolic(): void {
    const { n, parent, lnz, flag, colPtr, rowIdx, lp } = this;
    for (let k = 0; k < n; k++) {
      parent[k] = -1;
      flag[k] = k;
      lnz[k] = 0;
      for (let p = colPtr[k]; p < colPtr[k + 1]; p++) {
        let i = rowIdx[p];
        if (i >= k) continue;
        while (flag[i] !== k) {
          if (parent[i] === -1) parent[i] = k;
          lnz[i]++;
          flag[i] = k;
          i = parent[i];
        }
      }
    }
    lp[0] = 0;
    for (let k = 0; k < n; k++) lp[k + 1] = lp[k] + lnz[k];
  }

  /**
   * Numeric factorization of the current values.
   * @param describe names original index i in an error message (a bus and phase)
   */
  factor(describe: (i: number) => string = (i) => `row ${i}`): void {
    const {
      n,
      parent,
      lnz,
      flag,
      pattern,
      colPtr,
      rowIdx,
      valRe,
      valIm,
      lp,
      li,
      lxRe,
      lxIm,
      dRe,
      dIm,
      yRe,
      yIm,
    } = this;
    let maxDiag = 0;
    for (let k = 0; k < n; k++) {
      const p = colPtr[k + 1] - 1;
      maxDiag = Math.max(maxDiag, Math.hypot(valRe[p], valIm[p]));
    }
    const tiny = maxDiag * 1e-15;
    for (let k = 0; k < n; k++) {
      yRe[k] = 0;
      yIm[k] = 0;
      let top = n;
      flag[k] = k;
      lnz[k] = 0;
      for (let p = colPtr[k]; p < colPtr[k + 1]; p++) {
        let i = rowIdx[p];
        yRe[i] += valRe[p];
        yIm[i] += valIm[p];
        let len = 0;
        while (flag[i] !== k) {
          pattern[len++] = i;
          flag[i] = k;
          i = parent[i];
        }
        while (len > 0) pattern[--top] = pattern[--len];
      }
      let dr = yRe[k];
      let di = yIm[k];
      yRe[k] = 0;
      yIm[k] = 0;
      for (; top < n; top++) {
        const i = pattern[top];
        const yr = yRe[i];
        const yi = yIm[i];
        yRe[i] = 0;
        yIm[i] = 0;
        const p2 = lp[i] + lnz[i];
        for (let p = lp[i]; p < p2; p++) {
          const r = li[p];
          const lr = lxRe[p];
          const lim = lxIm[p];
          yRe[r] -= lr * yr - lim * yi;
          yIm[r] -= lr * yi + lim * yr;
        }
        // l_ki = y_i / d_i
        const ddr = dRe[i];
        const ddi = dIm[i];
        const den = ddr * ddr + ddi * ddi;
        const lr = (yr * ddr + yi * ddi) / den;
        const lim = (yi * ddr - yr * ddi) / den;
        dr -= lr * yr - lim * yi;
        di -= lr * yi + lim * yr;
        li[p2] = k;
        lxRe[p2] = lr;
        lxIm[p2] = lim;
        lnz[i]++;
      }
      if (!(Math.hypot(dr, di) > tiny)) {
        this.factored = false;
        throw new NumericalError(
          `admittance matrix is singular at ${describe(this.perm[k])}: the node has no path to a voltage reference or is shorted by a zero-impedance loop`,
          { details: { index: this.perm[k] } },
        );
      }
      dRe[k] = dr;
      dIm[k] = di;
    }
    this.factored = true;
  }

  /** Solves A x = b; b and x are in original numbering and may be the same arrays. */
  solve(bRe: ArrayLike<number>, bIm: ArrayLike<number>, xRe: Float64Array, xIm: Float64Array): void {
    if (!this.factored) throw new NumericalError('solve called before a successful factorization');
    const { n, perm, lp, li, lxRe, lxIm, dRe, dIm, yRe, yIm } = this;
    for (let k = 0; k < n; k++) {
      yRe[k] = bRe[perm[k]];
      yIm[k] = bIm[perm[k]];
    }
    for (let j = 0; j < n; j++) {
      const xr = yRe[j];
      const xi = yIm[j];
      if (xr === 0 && xi === 0) continue;
      const end = lp[j + 1];
      for (let p = lp[j]; p < end; p++) {
        const r = li[p];
        yRe[r] -= lxRe[p] * xr - lxIm[p] * xi;
        yIm[r] -= lxRe[p] * xi + lxIm[p] * xr;
      }
    }
    for (let j = 0; j < n; j++) {
      const ar = yRe[j];
      const ai = yIm[j];
      const dr = dRe[j];
      const di = dIm[j];
      const den = dr * dr + di * di;
      yRe[j] = (ar * dr + ai * di) / den;
      yIm[j] = (ai * dr - ar * di) / den;
    }
    for (let j = n - 1; j >= 0; j--) {
      let sr = yRe[j];
      let si = yIm[j];
      const end = lp[j + 1];
      for (let p = lp[j]; p < end; p++) {
        const r = li[p];
        sr -= lxRe[p] * yRe[r] - lxIm[p] * yIm[r];
        si -= lxRe[p] * yIm[r] + lxIm[p] * yRe[r];
      }
      yRe[j] = sr;
      yIm[j] = si;
    }
    for (let k = 0; k < n; k++) {
      xRe[perm[k]] = yRe[k];
      xIm[perm[k]] = yIm[k];
    }
  }
}
