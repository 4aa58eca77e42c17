import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../random/index.js';
import { LdlSymbolic } from './ldl-symbolic.js';
import { type Block2, SparseBlockLu } from './sparse-block-lu.js';

/** A dense real 2n×2n matrix of random nonsymmetric 2×2 blocks on a meshed random pattern. */
function randomSystem(n: number, seed: number) {
  const r = new Prng(seed);
  const dense = Array.from({ length: 2 * n }, () => new Float64Array(2 * n));
  const edges: number[] = [];
  const blocks: { i: number; j: number; b: Block2 }[] = [];
  const put = (i: number, j: number, b: Block2) => {
    blocks.push({ i, j, b });
    dense[2 * i][2 * j] += b[0];
    dense[2 * i][2 * j + 1] += b[1];
    dense[2 * i + 1][2 * j] += b[2];
    dense[2 * i + 1][2 * j + 1] += b[3];
  };
  const rand = (): Block2 => [r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1)];
  for (let i = 1; i < n; i++) {
    const j = Math.floor(r.next() * i);
    edges.push(i, j);
    put(i, j, rand());
    put(j, i, rand());
  }
  for (let e = 0; e < n / 3; e++) {
    const i = Math.floor(r.next() * n);
    const j = Math.floor(r.next() * n);
    if (i === j) continue;
    edges.push(i, j);
    put(i, j, rand());
  }
  for (let i = 0; i < n; i++) put(i, i, [8 + r.next(), r.uniform(-3, 3), r.uniform(-3, 3), 8 + r.next()]);
  return { dense, edges, blocks };
}

const times = (a: Float64Array[], x: Float64Array, transpose: boolean) =>
  Float64Array.from(a, (_, i) => a.reduce((s, row, j) => s + (transpose ? row[i] : a[i][j]) * x[j], 0));

/** The solver's layout: first components of every index, then the second ones. */
const toSplit = (v: Float64Array) => {
  const n = v.length / 2;
  return Float64Array.from(v, (_, k) => (k < n ? v[2 * k] : v[2 * (k - n) + 1]));
};

describe('sparse block LU', () => {
  it('solves A x = b and Aᵀ x = b for random nonsymmetric block matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const { dense, edges, blocks } = randomSystem(n, seed);
        const lu = new SparseBlockLu(new LdlSymbolic(n, edges));
        for (const { i, j, b } of blocks) expect(lu.add(i, j, b)).toBe(true);
        lu.factor();
        const r = new Prng(seed + 1);
        const x = Float64Array.from({ length: 2 * n }, () => r.uniform(-1, 1));
        for (const transpose of [false, true]) {
          const b = toSplit(times(dense, x, transpose));
          const got = new Float64Array(2 * n);
          lu.solve(b, got, transpose);
          const want = toSplit(x);
          for (let k = 0; k < 2 * n; k++) expect(got[k]).toBeCloseTo(want[k], 9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('solves a sparse right-hand side for a few entries as the full solve does there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const { edges, blocks } = randomSystem(n, seed);
        const lu = new SparseBlockLu(new LdlSymbolic(n, edges));
        for (const { i, j, b } of blocks) lu.add(i, j, b);
        lu.factor();
        const r = new Prng(seed + 2);
        // one nonzero, as a voltage's gradient has; a few entries wanted, as a market's order nodes
        const b = new Float64Array(2 * n);
        const at = Math.floor(r.next() * n);
        b[at] = r.uniform(-1, 1);
        b[n + at] = r.uniform(-1, 1);
        const wanted = [...new Set(Array.from({ length: 1 + (n >> 3) }, () => Math.floor(r.next() * n)))];
        const only = lu.closure(wanted);
        for (const transpose of [false, true]) {
          const full = new Float64Array(2 * n);
          lu.solve(b, full, transpose);
          const part = new Float64Array(2 * n).fill(Number.NaN);
          lu.solve(b, part, transpose, only);
          // the same right-hand side by its nonzeros, the node given twice in halves
          const sparse = new Float64Array(2 * n).fill(Number.NaN);
          const half = { re: b[at] / 2, im: b[n + at] / 2 };
          lu.solveSparse(
            { nodes: [at, at], re: [half.re, half.re], im: [half.im, half.im] },
            sparse,
            transpose,
            only,
          );
          for (const k of wanted) {
            expect(part[k]).toBe(full[k]);
            expect(part[n + k]).toBe(full[n + k]);
            expect(sparse[k]).toBeCloseTo(full[k], 12);
            expect(sparse[n + k]).toBeCloseTo(full[n + k], 12);
          }
          // what was not asked for is not computed
          for (const x of [part, sparse])
            expect(x.filter((v) => v !== 0).length).toBeLessThanOrEqual(2 * only.columns.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an entry outside the pattern and a singular matrix', () => {
    const lu = new SparseBlockLu(new LdlSymbolic(3, [0, 1]));
    expect(lu.add(0, 2, [1, 0, 0, 1])).toBe(false);
    lu.add(0, 0, [1, 0, 0, 1]);
    lu.add(1, 1, [1, 2, 2, 4]);
    lu.add(2, 2, [1, 0, 0, 1]);
    expect(() => lu.factor((i) => `node ${i}`)).toThrow(/singular at node 1/);
  });
});
