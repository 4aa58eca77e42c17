import { describe, expect, it } from 'vitest';
import { gmres } from './gmres.js';

describe('gmres', () => {
  it('solves a nonsymmetric system to the requested residual', () => {
    const n = 40;
    // A = 4I + upper shift − 0.5 lower shift + a rank-one term: nonsymmetric, well conditioned
    const apply = (x: Float64Array, out: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i];
      for (let i = 0; i < n; i++)
        out[i] = 4 * x[i] + (i + 1 < n ? x[i + 1] : 0) - 0.5 * (i > 0 ? x[i - 1] : 0) + 0.01 * s;
    };
    const xTrue = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const b = new Float64Array(n);
    apply(xTrue, b);
    const r = gmres(apply, b, { tolerance: 1e-12, restart: 10 });
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(xTrue[i], 9);
    expect(r.relativeResidual).toBeLessThan(1e-11);
  });

  it('reports failure to converge', () => {
    const apply = (x: Float64Array, out: Float64Array) => {
      out[0] = 0 * x[0];
      out[1] = x[1];
    };
    expect(() => gmres(apply, Float64Array.of(1, 1), { maxIterations: 5 })).toThrow(/GMRES did not converge/);
  });
});
