import { NumericalError } from '../errors/index.js';
import { etreeReach, type LdlSymbolic } from './ldl-symbolic.js';

/** A 2×2 real block, row-major: [b00, b01, b10, b11]. */
export type Block2 = readonly [number, number, number, number];

/**
 * Sparse LDU factorization of a real matrix of 2×2 blocks whose block pattern is symmetric
 * but whose values are not: the real form of a power-flow Jacobian, where constant-power
 * loads act through conj(V) and break complex linearity. It reuses the symbolic analysis of
 * the admittance matrix with the same pattern (for a structurally symmetric matrix, L and Uᵀ
 * fill alike), so one solve costs about what a complex solve with Y costs; it replaces a
 * Krylov iteration per right-hand side when many sensitivities share one operating point.
 * No pivoting: the blocks stay dominated by the admittance matrix's diagonal.
 */
export class SparseBlockLu {
  readonly n: number;
  /** A(r, c) for the upper-triangular pattern position p (r ≤ c, permuted), 4 per position */
  private readonly upper: Float64Array;
  /** A(c, r) for the same positions (r < c) */
  private readonly lower: Float64Array;
  private readonly li: Int32Array;
  /** L(li[p], i) blocks, column i */
  private readonly lx: Float64Array;
  /** U(i, li[p]) blocks, row i */
  private readonly ux: Float64Array;
  /** inverses of the D blocks */
  private readonly dInv: Float64Array;
  private factored = false;

  constructor(readonly symbolic: LdlSymbolic) {
    const n = symbolic.n;
    this.n = n;
    this.upper = new Float64Array(4 * symbolic.nonzeros);
    this.lower = new Float64Array(4 * symbolic.nonzeros);
    const lnz = symbolic.lp[n];
    this.li = new Int32Array(lnz);
    this.lx = new Float64Array(4 * lnz);
    this.ux = new Float64Array(4 * lnz);
    this.dInv = new Float64Array(4 * n);
  }

  /**
   * Adds a block to entry (i, j), original numbering.
   * @returns false when (i, j) is outside the pattern
   */
  add(i: number, j: number, b: Block2): boolean {
    const p = this.symbolic.slot(i, j);
    if (p < 0) return false;
    const { pinv } = this.symbolic;
    const target = pinv[i] <= pinv[j] ? this.upper : this.lower;
    for (let q = 0; q < 4; q++) target[4 * p + q] += b[q];
    this.factored = false;
    return true;
  }

  /** Adds b to both A(r, c) and A(c, r) at position p of the symbolic pattern: a symmetric entry. */
  addSymmetricAt(p: number, b: Block2): void {
    for (let q = 0; q < 4; q++) {
      this.upper[4 * p + q] += b[q];
      this.lower[4 * p + q] += b[q];
    }
    this.factored = false;
  }

  factor(describe: (i: number) => string = (i) => `row ${i}`): void {
    const { n, upper, lower, li, lx, ux, dInv } = this;
    const { parent, colPtr, rowIdx, lp, perm } = this.symbolic;
    const w = new Float64Array(4 * n);
    const z = new Float64Array(4 * n);
    const flag = new Int32Array(n);
    const lnz = new Int32Array(n);
    const pattern = new Int32Array(n);
    const t = new Float64Array(4);
    const wi = new Float64Array(4);
    const zi = new Float64Array(4);
    const d = new Float64Array(4);
    let maxDiag = 0;
    for (let k = 0; k < n; k++) {
      const p = 4 * (colPtr[k + 1] - 1);
      maxDiag = Math.max(maxDiag, Math.abs(upper[p] * upper[p + 3] - upper[p + 1] * upper[p + 2]));
    }
    const tiny = maxDiag * 1e-28;
    for (let k = 0; k < n; k++) {
      let top = n;
      flag[k] = k;
      lnz[k] = 0;
      d.fill(0);
      for (let p = colPtr[k]; p < colPtr[k + 1]; p++) {
        const i = rowIdx[p];
        if (i === k) {
          for (let q = 0; q < 4; q++) d[q] = upper[4 * p + q];
          continue;
        }
        for (let q = 0; q < 4; q++) {
          w[4 * i + q] += upper[4 * p + q];
          z[4 * i + q] += lower[4 * p + q];
        }
        top = etreeReach(i, k, parent, flag, pattern, top);
      }
      for (; top < n; top++) {
        const i = pattern[top];
        for (let q = 0; q < 4; q++) {
          wi[q] = w[4 * i + q];
          zi[q] = z[4 * i + q];
          w[4 * i + q] = 0;
          z[4 * i + q] = 0;
        }
        const p2 = lp[i] + lnz[i];
        for (let p = lp[i]; p < p2; p++) {
          const r = 4 * li[p];
          // w_r −= L(r,i)·w_i ;  z_r −= z_i·U(i,r)
          mulSub(lx, 4 * p, wi, 0, w, r);
          mulSub(zi, 0, ux, 4 * p, z, r);
        }
        // L(k,i) = z_i·D_i⁻¹, U(i,k) = D_i⁻¹·w_i, d_k −= L(k,i)·w_i
        t.fill(0);
        mulSub(zi, 0, dInv, 4 * i, t, 0);
        for (let q = 0; q < 4; q++) lx[4 * p2 + q] = -t[q];
        t.fill(0);
        mulSub(dInv, 4 * i, wi, 0, t, 0);
        for (let q = 0; q < 4; q++) ux[4 * p2 + q] = -t[q];
        mulSub(lx, 4 * p2, wi, 0, d, 0);
        li[p2] = k;
        lnz[i]++;
      }
      const det = d[0] * d[3] - d[1] * d[2];
      if (!(Math.abs(det) > tiny)) {
        this.factored = false;
        throw new NumericalError(`linearized power flow is singular at ${describe(perm[k])}`, {
          details: { index: perm[k] },
        });
      }
      dInv[4 * k] = d[3] / det;
      dInv[4 * k + 1] = -d[1] / det;
      dInv[4 * k + 2] = -d[2] / det;
      dInv[4 * k + 3] = d[0] / det;
    }
    this.factored = true;
  }

  /** work vectors of the sweeps, kept between solves (a market makes hundreds per factorization) */
  private work: Float64Array | undefined;
  private visited: Int32Array | undefined;
  private stamp = 0;

  /**
   * The indices whose entries of a solution need the given ones' and no others: the nodes'
   * elimination-tree ancestors with themselves (original numbering in, the factors' numbering
   * kept), for solve's and solveSparse's `only`.
   */
  closure(nodes: Iterable<number>): Closure {
    const { parent, pinv } = this.symbolic;
    const mask = new Uint8Array(this.n);
    const columns: number[] = [];
    for (const i of nodes) {
      for (let j = pinv[i]; j >= 0 && j < this.n && !mask[j]; j = parent[j]) {
        mask[j] = 1;
        columns.push(j);
      }
    }
    return { columns: Int32Array.from(columns).sort().reverse() };
  }

  /**
   * Solves A x = b, or Aᵀ x = b with `transpose`; vectors hold the first component of every
   * index in [0, n) and the second in [n, 2n), original numbering. A right-hand side that is
   * mostly zero costs only its nonzeros' paths up the elimination tree in the first sweep;
   * with `only` (from closure) the second sweep computes just those entries of x and leaves the
   * others 0: a sensitivity read at a few nodes costs a fraction of a full solve.
   */
  solve(b: ArrayLike<number>, x: Float64Array, transpose = false, only?: Closure): void {
    if (!this.factored) throw new NumericalError('solve called before a successful factorization');
    const { n } = this;
    const { perm } = this.symbolic;
    this.work ??= new Float64Array(2 * n);
    const y = this.work;
    for (let k = 0; k < n; k++) {
      y[2 * k] = b[perm[k]];
      y[2 * k + 1] = b[n + perm[k]];
    }
    for (let j = 0; j < n; j++) {
      // nothing reached this column yet: it passes nothing on and stays 0
      if (y[2 * j] !== 0 || y[2 * j + 1] !== 0) this.forwardColumn(j, transpose);
    }
    this.backward(transpose, only);
    this.unpermute(x, only);
  }

  /**
   * solve for a right-hand side given by its nonzeros (entry k: nodes[k], first component re[k],
   * second im[k]; a node may repeat), read only at `only`'s entries: the sweeps visit the
   * nonzeros' paths up the elimination tree and the closure, never the whole matrix.
   */
  solveSparse(
    b: { nodes: ArrayLike<number>; re: ArrayLike<number>; im: ArrayLike<number> },
    x: Float64Array,
    transpose: boolean,
    only: Closure,
  ): void {
    if (!this.factored) throw new NumericalError('solve called before a successful factorization');
    const { n } = this;
    const { parent, pinv } = this.symbolic;
    this.work ??= new Float64Array(2 * n);
    this.visited ??= new Int32Array(n);
    const y = this.work;
    y.fill(0);
    const stamp = ++this.stamp;
    const reach: number[] = [];
    for (let k = 0; k < b.nodes.length; k++) {
      const start = pinv[b.nodes[k]];
      y[2 * start] += b.re[k];
      y[2 * start + 1] += b.im[k];
      for (let j = start; j >= 0 && j < n && this.visited[j] !== stamp; j = parent[j]) {
        this.visited[j] = stamp;
        reach.push(j);
      }
    }
    // the factors' order is a topological order of the tree: children before their parents
    for (const j of Int32Array.from(reach).sort()) this.forwardColumn(j, transpose);
    this.backward(transpose, only);
    this.unpermute(x, only);
  }

  /** The first sweep's step at column j: its entries pass down its column, then D⁻¹. */
  private forwardColumn(j: number, transpose: boolean): void {
    const { li, dInv } = this;
    const { lp } = this.symbolic;
    const y = this.work!;
    // Aᵀ = Uᵀ·Dᵀ·Lᵀ: the same sweeps with the factors' roles swapped and each block transposed
    const first = transpose ? this.ux : this.lx;
    const o1 = transpose ? 2 : 1;
    const o2 = transpose ? 1 : 2;
    const a = y[2 * j];
    const c = y[2 * j + 1];
    for (let p = lp[j]; p < lp[j + 1]; p++) {
      const r = 2 * li[p];
      const q = 4 * p;
      y[r] -= first[q] * a + first[q + o1] * c;
      y[r + 1] -= first[q + o2] * a + first[q + 3] * c;
    }
    const q = 4 * j;
    y[2 * j] = dInv[q] * a + dInv[q + o1] * c;
    y[2 * j + 1] = dInv[q + o2] * a + dInv[q + 3] * c;
  }

  /** The second sweep, over every column or, with `only`, over its closure's (an entry needs only its ancestors). */
  private backward(transpose: boolean, only: Closure | undefined): void {
    const { n, li } = this;
    const { lp } = this.symbolic;
    const y = this.work!;
    const second = transpose ? this.lx : this.ux;
    const o1 = transpose ? 2 : 1;
    const o2 = transpose ? 1 : 2;
    const count = only ? only.columns.length : n;
    for (let k = 0; k < count; k++) {
      const j = only ? only.columns[k] : n - 1 - k;
      let a = y[2 * j];
      let c = y[2 * j + 1];
      for (let p = lp[j]; p < lp[j + 1]; p++) {
        const r = 2 * li[p];
        const q = 4 * p;
        a -= second[q] * y[r] + second[q + o1] * y[r + 1];
        c -= second[q + o2] * y[r] + second[q + 3] * y[r + 1];
      }
      y[2 * j] = a;
      y[2 * j + 1] = c;
    }
  }

  /** x in the original numbering; with `only`, its entries and zeros elsewhere. */
  private unpermute(x: Float64Array, only: Closure | undefined): void {
    const { n } = this;
    const { perm } = this.symbolic;
    const y = this.work!;
    if (!only) {
      for (let k = 0; k < n; k++) {
        x[perm[k]] = y[2 * k];
        x[n + perm[k]] = y[2 * k + 1];
      }
      return;
    }
    x.fill(0);
    for (const k of only.columns) {
      x[perm[k]] = y[2 * k];
      x[n + perm[k]] = y[2 * k + 1];
    }
  }
}

/** Entries of a solution wanted and all they need (see SparseBlockLu.closure): the factors' columns, last first. */
export interface Closure {
  columns: Int32Array;
}

/** out[o..o+4) −= A·B for 2×2 blocks at offsets a and b. */
function mulSub(A: Float64Array, a: number, B: Float64Array, b: number, out: Float64Array, o: number): void {
  out[o] -= A[a] * B[b] + A[a + 1] * B[b + 2];
  out[o + 1] -= A[a] * B[b + 1] + A[a + 1] * B[b + 3];
  out[o + 2] -= A[a + 2] * B[b] + A[a + 3] * B[b + 2];
  out[o + 3] -= A[a + 2] * B[b + 1] + A[a + 3] * B[b + 3];
}
