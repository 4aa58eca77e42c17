import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../random/index.js';
import { LinearModel } from './linear-model.js';
import { type LpSolution, type LpSolver, solveAndPrice } from './solver.js';

/** Two generators meeting a demand: the cheap one runs to its limit, the other sets the price. */
export function dispatchModel(demand: number) {
  const m = new LinearModel();
  const g1 = m.addVariable({ name: 'g1', upper: 10, cost: 10 });
  const g2 = m.addVariable({ name: 'g2', upper: 50, cost: 20 });
  const balance = m.addConstraint({
    name: 'balance',
    lower: demand,
    upper: demand,
    terms: [
      [g1, 1],
      [g2, 1],
    ],
  });
  return { m, g1, g2, balance };
}

/** A random transport-like LP: supplies with costs meeting demands through capacity rows. */
export function randomLp(seed: number, n: number): LinearModel {
  const r = new Prng(seed);
  const m = new LinearModel();
  const cols = Array.from({ length: n }, (_, j) =>
    m.addVariable({
      name: `x${j}`,
      lower: r.next() < 0.1 ? -2 : 0,
      upper: r.uniform(1, 10),
      cost: r.uniform(-5, 20),
    }),
  );
  for (let i = 0; i < n / 4; i++) {
    const terms = Array.from({ length: 6 }, (): [number, number] => [r.pick(cols), r.uniform(0.5, 2)]);
    // some rows ranged, some one-sided
    const upper = r.uniform(5, 30);
    m.addConstraint({ name: `cap${i}`, lower: r.next() < 0.3 ? upper - 20 : undefined, upper, terms });
  }
  m.addConstraint({ name: 'demand', lower: n, terms: cols.map((c): [number, number] => [c, 1]) });
  return m;
}

/** The largest |c_j − Σ_i A_ij·y_i − d_j|: zero when duals and reduced costs belong to one sign convention. */
function dualResidual(m: LinearModel, s: LpSolution): number {
  const r = Float64Array.from(m.colCost);
  for (let i = 0; i < m.numRows; i++)
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) r[m.rowIndex[k]] -= m.rowValue[k] * s.rowDual[i];
  let worst = 0;
  for (let j = 0; j < m.numCols; j++) worst = Math.max(worst, Math.abs(r[j] - s.colDual[j]));
  return worst;
}

/**
 * What every LpSolver must do, whatever runs it: solve LPs with the duals as d objective / d
 * right-hand side, every kind of bound and row, MILPs priced by the LP with the integers fixed,
 * and report infeasible and unbounded models as such. `reference` solves the random models
 * the solver's objectives are compared with (another implementation).
 */
export function lpSolverSuite(
  name: string,
  make: () => Promise<LpSolver>,
  reference: () => Promise<LpSolver>,
): void {
  describe(`${name} behind the LpSolver interface`, () => {
    let solver: LpSolver;
    let other: LpSolver;
    beforeAll(async () => {
      solver = await make();
      other = await reference();
    });
    afterAll(async () => {
      await solver?.close?.();
      await other?.close?.();
    });

    it('solves an LP and returns the marginal price as the balance dual', async () => {
      const { m, g1, g2, balance } = dispatchModel(15);
      const s = await solver.solve(m);
      expect(s.status).toBe('optimal');
      expect(s.x[g1]).toBeCloseTo(10, 9);
      expect(s.x[g2]).toBeCloseTo(5, 9);
      expect(s.objective).toBeCloseTo(200, 9);
      expect(s.rowValue[balance]).toBeCloseTo(15, 9);
      // one more unit of demand costs the marginal generator's price
      expect(s.rowDual[balance]).toBeCloseTo(20, 9);
      // the cheap generator at its limit: its reduced cost is what its limit is worth
      expect(s.colDual[g1]).toBeCloseTo(-10, 9);
    });

    it('honours every kind of bound and row, and the objective constant', async () => {
      const m = new LinearModel();
      const free = m.addVariable({ name: 'free', lower: Number.NEGATIVE_INFINITY, cost: 1 });
      const neg = m.addVariable({ name: 'neg', lower: -5, upper: -1, cost: -1 });
      const fixed = m.addVariable({ name: 'fixed', lower: 2.5, upper: 2.5, cost: 3 });
      const below = m.addVariable({ name: 'below', lower: Number.NEGATIVE_INFINITY, upper: 4, cost: -2 });
      // free ≥ 1 + fixed; ranged 0 ≤ neg + below ≤ 3; below ≤ 2 − neg … the optimum is at the bounds
      m.addConstraint({
        name: 'ge',
        lower: 1,
        terms: [
          [free, 1],
          [fixed, -1],
        ],
      });
      const ranged = m.addConstraint({
        name: 'ranged',
        lower: 0,
        upper: 3,
        terms: [
          [neg, 1],
          [below, 1],
        ],
      });
      m.objectiveOffset = 7;
      const s = await solver.solve(m);
      expect(s.status).toBe('optimal');
      expect(s.x[free]).toBeCloseTo(3.5, 9);
      expect(s.x[neg]).toBeCloseTo(-1, 9);
      expect(s.x[fixed]).toBeCloseTo(2.5, 9);
      expect(s.x[below]).toBeCloseTo(4, 9);
      expect(s.rowValue[ranged]).toBeCloseTo(3, 9);
      expect(s.objective).toBeCloseTo(3.5 + 1 + 7.5 - 8 + 7, 9);
      expect(m.objective(s.x)).toBeCloseTo(s.objective, 9);
    });

    it('finds the optimum another solver finds, with duals of the same convention', async () => {
      for (const seed of [1, 2, 3]) {
        const m = randomLp(seed, 200);
        const [a, b] = [await solver.solve(m), await other.solve(m)];
        expect(a.status).toBe(b.status);
        expect(a.objective).toBeCloseTo(b.objective, 6);
        expect(m.objective(a.x)).toBeCloseTo(a.objective, 6);
        expect(dualResidual(m, a)).toBeLessThan(1e-6);
      }
    });

    it('solves again from the basis it returned, to the same optimum', async () => {
      const m = randomLp(4, 120);
      const first = await solver.solve(m);
      const again = await solver.solve(m, { basis: first.basis });
      expect(again.status).toBe('optimal');
      expect(again.objective).toBeCloseTo(first.objective, 9);
    });

    it('prices a MIP from the LP with the commitments fixed', async () => {
      const m = new LinearModel();
      const u = m.addVariable({ name: 'u', upper: 1, integer: true, cost: 100 });
      const g1 = m.addVariable({ name: 'g1', upper: 10, cost: 10 });
      const g2 = m.addVariable({ name: 'g2', upper: 50, cost: 30 });
      m.addConstraint({
        name: 'pmax',
        upper: 0,
        terms: [
          [g1, 1],
          [u, -10],
        ],
      });
      m.addConstraint({
        name: 'pmin',
        lower: 0,
        terms: [
          [g1, 1],
          [u, -5],
        ],
      });
      const bal = m.addConstraint({
        name: 'balance',
        lower: 12,
        upper: 12,
        terms: [
          [g1, 1],
          [g2, 1],
        ],
      });
      const { mip, pricing } = await solveAndPrice(solver, m);
      expect(mip.status).toBe('optimal');
      // committing g1 (100 + 10·10) beats buying all 12 from g2 (360)
      expect(mip.x[u]).toBeCloseTo(1, 9);
      expect(mip.objective).toBeCloseTo(100 + 100 + 60, 6);
      expect(pricing.rowDual[bal]).toBeCloseTo(30, 9);
    });

    it('reports an infeasible and an unbounded model as such', async () => {
      expect((await solver.solve(dispatchModel(100).m)).status).toBe('infeasible');
      const m = new LinearModel();
      m.addVariable({ name: 'x', lower: Number.NEGATIVE_INFINITY, cost: 1 });
      expect(['unbounded']).toContain((await solver.solve(m)).status);
    });

    it('writes the model in MPS form', async () => {
      expect(await solver.write(dispatchModel(15).m, 'mps')).toMatch(/ROWS[\s\S]*COLUMNS[\s\S]*ENDATA/);
    });
  });
}
