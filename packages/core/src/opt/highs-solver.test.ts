import { beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver } from './highs-solver.js';
import { LinearModel } from './linear-model.js';
import { solveAndPrice } from './solver.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

/** Two generators meeting a demand: the cheap one runs to its limit, the other sets the price. */
function dispatch(demand: number) {
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

describe('HiGHS behind the LpSolver interface', () => {
  it('solves an LP and returns the marginal price as the balance dual', () => {
    const { m, g1, g2, balance } = dispatch(15);
    const s = solver.solve(m);
    expect(s.status).toBe('optimal');
    expect(s.x[g1]).toBeCloseTo(10, 9);
    expect(s.x[g2]).toBeCloseTo(5, 9);
    expect(s.objective).toBeCloseTo(200, 9);
    // one more unit of demand costs the marginal generator's price
    expect(s.rowDual[balance]).toBeCloseTo(20, 9);
  });

  it('prices a MIP from the LP with the commitments fixed', () => {
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
    const { mip, pricing } = solveAndPrice(solver, m);
    expect(mip.status).toBe('optimal');
    // committing g1 (100 + 10·10) beats buying all 12 from g2 (360)
    expect(mip.x[u]).toBeCloseTo(1, 9);
    expect(mip.objective).toBeCloseTo(100 + 100 + 60, 6);
    expect(pricing.rowDual[bal]).toBeCloseTo(30, 9);
  });

  it('reports infeasibility', () => {
    const { m } = dispatch(100);
    expect(solver.solve(m).status).toBe('infeasible');
  });

  it('writes the model in CPLEX LP and MPS form for other solvers', () => {
    const { m } = dispatch(15);
    const lp = solver.write(m, 'lp');
    expect(lp).toMatch(/min/i);
    expect(lp).toMatch(/balance/);
    expect(solver.write(m, 'mps')).toMatch(/ROWS/);
    // read back, each form solves to the same objective
    expect(solver.solveText(lp, 'lp').objective).toBeCloseTo(200, 9);
    expect(solver.solveText(solver.write(m, 'mps'), 'mps').objective).toBeCloseTo(200, 9);
  });

  it('rejects malformed models before the solver sees them', () => {
    const m = new LinearModel();
    expect(() => m.addVariable({ name: 'x', lower: 2, upper: 1 })).toThrow(
      /x: lower bound 2 exceeds upper 1/,
    );
    expect(() => m.addConstraint({ name: 'r', terms: [[3, 1]] })).toThrow(/r: no variable 3/);
  });
});
