import { describe, expect, it } from 'vitest';
import { CMatrix } from './cmatrix.js';
import { SparseLdl } from './sparse-ldl.js';

/** Deterministic pseudo-random numbers so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random network: a tree plus a few extra branches, each with a random series admittance. */
function randomNetwork(n: number, extra: number, seed: number) {
  const rnd = lcg(seed);
  const dense = new CMatrix(n);
  const edges: number[] = [];
  const branch = (i: number, j: number) => {
    const g = 0.5 + rnd();
    const b = -(1 + 5 * rnd());
    dense.add(i, i, g, b);
    dense.add(j, j, g, b);
    dense.add(i, j, -g, -b);
    dense.add(j, i, -g, -b);
    edges.push(i, j);
  };
  for (let i = 1; i < n; i++) branch(i, Math.floor(rnd() * i));
  for (let e = 0; e < extra; e++) {
    const i = Math.floor(rnd() * n);
    const j = Math.floor(rnd() * n);
    if (i !== j) branch(i, j);
  }
  dense.add(0, 0, 10, -30); // the source's Norton admittance references the network
  return { dense, edges };
}

function stamp(ldl: SparseLdl, dense: CMatrix): void {
  ldl.clearValues();
  for (let i = 0; i < dense.n; i++)
    for (let j = i; j < dense.n; j++) {
      const v = dense.get(i, j);
      if (v.re === 0 && v.im === 0) continue;
      const s = ldl.slot(i, j);
      expect(s).toBeGreaterThanOrEqual(0);
      ldl.val[2 * s] += v.re;
      ldl.val[2 * s + 1] += v.im;
    }
}

describe('SparseLdl', () => {
  for (const [n, extra, seed] of [
    [1, 0, 1],
    [12, 0, 2],
    [60, 8, 3],
    [200, 30, 4],
  ] as const) {
    it(`solves a ${n}-node network with ${extra} loops like the dense inverse`, () => {
      const { dense, edges } = randomNetwork(n, extra, seed);
      const ldl = SparseLdl.fromPattern(n, edges);
      stamp(ldl, dense);
      ldl.factor();
      const rnd = lcg(seed + 100);
      const bRe = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const bIm = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const xRe = new Float64Array(n);
      const xIm = new Float64Array(n);
      ldl.solve(bRe, bIm, xRe, xIm);
      const yRe = new Float64Array(n);
      const yIm = new Float64Array(n);
      dense.inverse().multiplyVector(bRe, bIm, yRe, yIm);
      for (let i = 0; i < n; i++) {
        expect(xRe[i]).toBeCloseTo(yRe[i], 10);
        expect(xIm[i]).toBeCloseTo(yIm[i], 10);
      }
      // the inverse's diagonal, entry by entry, without a solve
      const inv = dense.inverse();
      for (let i = 0; i < n; i++) {
        const [re, im] = ldl.inverseDiagonal(i);
        expect(re).toBeCloseTo(inv.get(i, i).re, 10);
        expect(im).toBeCloseTo(inv.get(i, i).im, 10);
      }
    });
  }

  it('keeps a tree free of fill', () => {
    const { edges } = randomNetwork(500, 0, 9);
    const ldl = SparseLdl.fromPattern(500, edges);
    expect(ldl.factorNonzeros).toBe(499);
  });

  it('reports a floating node by name', () => {
    const ldl = SparseLdl.fromPattern(2, [0, 1]);
    const s = ldl.slot(0, 1);
    ldl.val[2 * ldl.slot(0, 0)] = 1;
    ldl.val[2 * ldl.slot(1, 1)] = 1;
    ldl.val[2 * s] = -1; // a branch between two nodes with no reference anywhere
    expect(() => ldl.factor((i) => `node ${i}`)).toThrow(/singular at node/);
  });

  it('refactors after values change without a new analysis', () => {
    const { dense, edges } = randomNetwork(30, 3, 5);
    const ldl = SparseLdl.fromPattern(30, edges);
    stamp(ldl, dense);
    ldl.factor();
    dense.add(7, 7, 2, 1);
    stamp(ldl, dense);
    ldl.factor();
    const b = new Float64Array(30);
    b[7] = 1;
    const xr = new Float64Array(30);
    const xi = new Float64Array(30);
    ldl.solve(b, new Float64Array(30), xr, xi);
    const inv = dense.inverse();
    expect(xr[7]).toBeCloseTo(inv.get(7, 7).re, 10);
    expect(xi[3]).toBeCloseTo(inv.get(3, 7).im, 10);
  });
});
