import { minimumDegreeOrder } from './ordering.js';

/**
 * The analysis of a symmetric sparsity pattern for LDLᵀ: fill-reducing order, the permuted
 * upper-triangular pattern (CSC, rows sorted), the elimination tree and the column pointers
 * of L. It depends only on the pattern, so one analysis serves every matrix with it.
 */
export class LdlSymbolic {
  readonly n: number;
  /** new index → original index */
  readonly perm: Int32Array;
  /** original index → new index */
  readonly pinv: Int32Array;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly parent: Int32Array;
  /** column pointers of L */
  readonly lp: Int32Array;

  /**
   * @param n order of the matrix
   * @param edges off-diagonal pattern as pairs (i, j), i ≠ j, in either order; duplicates allowed
   */
  constructor(n: number, edges: ArrayLike<number>) {
    this.n = n;
    const nb = adjacency(n, edges);
    this.perm = minimumDegreeOrder(n, nb);
    this.pinv = new Int32Array(n);
    for (let k = 0; k < n; k++) this.pinv[this.perm[k]] = k;
    const { colPtr, rowIdx } = permutedUpper(n, nb, this.pinv);
    this.colPtr = colPtr;
    this.rowIdx = rowIdx;
    this.parent = new Int32Array(n);
    this.lp = new Int32Array(n + 1);
    this.eliminationTree();
  }

  get nonzeros(): number {
    return this.rowIdx.length;
  }

  /** Position of entry (i, j), original numbering, in the value arrays; -1 if not in the pattern. */
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

  private eliminationTree(): void {
    const { n, parent, colPtr, rowIdx, lp } = this;
    const flag = new Int32Array(n);
    const lnz = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      parent[k] = -1;
      flag[k] = k;
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
}

/**
 * Pushes the path from i up the elimination tree to the nodes already marked for row k onto
 * the top of `pattern` (which fills from the end), so pattern[top..n) lists row k's nonzeros
 * of L in an order a triangular solve can follow. Returns the new top.
 */
export function etreeReach(
  i: number,
  k: number,
  parent: Int32Array,
  flag: Int32Array,
  pattern: Int32Array,
  top: number,
): number {
  let len = 0;
  let j = i;
  while (flag[j] !== k) {
    pattern[len++] = j;
    flag[j] = k;
    j = parent[j];
  }
  let t = top;
  while (len > 0) pattern[--t] = pattern[--len];
  return t;
}

function adjacency(n: number, edges: ArrayLike<number>): Int32Array[] {
  const m = edges.length >> 1;
  const deg = new Int32Array(n);
  for (let k = 0; k < m; k++) {
    const i = edges[2 * k];
    const j = edges[2 * k + 1];
    if (i === j) continue;
    deg[i]++;
    deg[j]++;
  }
  const nb: Int32Array[] = Array.from({ length: n }, (_, i) => new Int32Array(deg[i]));
  deg.fill(0);
  for (let k = 0; k < m; k++) {
    const i = edges[2 * k];
    const j = edges[2 * k + 1];
    if (i === j) continue;
    nb[i][deg[i]++] = j;
    nb[j][deg[j]++] = i;
  }
  return nb;
}

/** Upper triangle of the permuted pattern, column by column, duplicates removed. */
function permutedUpper(
  n: number,
  nb: Int32Array[],
  pinv: Int32Array,
): { colPtr: Int32Array; rowIdx: Int32Array } {
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const pi = pinv[i];
    count[pi]++;
    for (const j of nb[i]) if (pi < pinv[j]) count[pinv[j]]++;
  }
  const start = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) start[k + 1] = start[k] + count[k];
  const rows = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) {
    const pi = pinv[i];
    rows[fill[pi]++] = pi;
    for (const j of nb[i]) {
      const pj = pinv[j];
      if (pi < pj) rows[fill[pj]++] = pi;
    }
  }
  const colPtr = new Int32Array(n + 1);
  let nnz = 0;
  for (let k = 0; k < n; k++) {
    const col = rows.subarray(start[k], start[k + 1]).sort();
    let last = -1;
    for (let p = 0; p < col.length; p++) {
      if (col[p] === last) continue;
      last = col[p];
      rows[nnz++] = last;
    }
    colPtr[k + 1] = nnz;
  }
  return { colPtr, rowIdx: rows.slice(0, nnz) };
}
