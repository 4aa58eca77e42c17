import { NumericalError } from '../errors/index.js';

export interface GmresOptions {
  /** relative residual ‖b − A x‖ / ‖b‖ to reach */
  tolerance?: number;
  /** Krylov dimension before a restart */
  restart?: number;
  maxIterations?: number;
}

export interface GmresResult {
  x: Float64Array;
  iterations: number;
  relativeResidual: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Restarted GMRES for a real linear operator, x ← argmin ‖b − A x‖ over Krylov spaces, with
 * modified Gram–Schmidt and Givens rotations. Used where the operator is only real-linear
 * (power-flow linearizations with conjugates), so complex arithmetic does not apply.
 */
export function gmres(
  apply: (x: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  options: GmresOptions = {},
): GmresResult {
  const n = b.length;
  const tol = options.tolerance ?? 1e-10;
  const m = Math.min(options.restart ?? 60, n);
  const maxIt = options.maxIterations ?? 600;
  const x = new Float64Array(n);
  const bNorm = Math.sqrt(dot(b, b));
  if (bNorm === 0) return { x, iterations: 0, relativeResidual: 0 };
  // Krylov vectors are allocated as the iteration reaches them: most solves need only a few
  const v: Float64Array[] = [new Float64Array(n)];
  const basis = (k: number) => {
    while (v.length <= k) v.push(new Float64Array(n));
    return v[k];
  };
  const h = new Float64Array((m + 1) * m);
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const w = new Float64Array(n);
  let total = 0;
  let rel = 1;
  while (total < maxIt) {
    apply(x, w);
    for (let i = 0; i < n; i++) v[0][i] = b[i] - w[i];
    const beta = Math.sqrt(dot(v[0], v[0]));
    rel = beta / bNorm;
    if (rel <= tol) break;
    for (let i = 0; i < n; i++) v[0][i] /= beta;
    g.fill(0);
    g[0] = beta;
    let k = 0;
    for (; k < m && total < maxIt; k++) {
      total++;
      apply(v[k], w);
      for (let j = 0; j <= k; j++) {
        const hj = dot(w, v[j]);
        h[j * m + k] = hj;
        for (let i = 0; i < n; i++) w[i] -= hj * v[j][i];
      }
      const hk = Math.sqrt(dot(w, w));
      h[(k + 1) * m + k] = hk;
      const next = basis(k + 1);
      if (hk > 0) for (let i = 0; i < n; i++) next[i] = w[i] / hk;
      for (let j = 0; j < k; j++) {
        const a = h[j * m + k];
        const c = h[(j + 1) * m + k];
        h[j * m + k] = cs[j] * a + sn[j] * c;
        h[(j + 1) * m + k] = -sn[j] * a + cs[j] * c;
      }
      const a = h[k * m + k];
      const c = h[(k + 1) * m + k];
      const r = Math.hypot(a, c);
      cs[k] = r === 0 ? 1 : a / r;
      sn[k] = r === 0 ? 0 : c / r;
      h[k * m + k] = r;
      h[(k + 1) * m + k] = 0;
      g[k + 1] = -sn[k] * g[k];
      g[k] = cs[k] * g[k];
      rel = Math.abs(g[k + 1]) / bNorm;
      if (rel <= tol || hk === 0) {
        k++;
        break;
      }
    }
    // x += V_k y with H y = g (upper triangular)
    const y = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let s = g[i];
      for (let j = i + 1; j < k; j++) s -= h[i * m + j] * y[j];
      y[i] = s / h[i * m + i];
    }
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) x[i] += y[j] * v[j][i];
    if (rel <= tol) {
      apply(x, w);
      let r2 = 0;
      for (let i = 0; i < n; i++) r2 += (b[i] - w[i]) ** 2;
      rel = Math.sqrt(r2) / bNorm;
      if (rel <= tol * 10) break;
    }
  }
  if (!(rel <= tol * 10)) {
    throw new NumericalError(
      `GMRES did not converge: relative residual ${rel.toExponential(2)} after ${total} iterations`,
      {
        details: { iterations: total, relativeResidual: rel },
      },
    );
  }
  return { x, iterations: total, relativeResidual: rel };
}
