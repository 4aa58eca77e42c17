import { beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver } from './highs-solver.js';
import { LinearModel } from './linear-model.js';
import { dispatchModel, lpSolverSuite } from './solver-suite.js';

lpSolverSuite('HiGHS on the calling thread', HighsSolver.create, HighsSolver.create);

describe('HiGHS', () => {
  let solver: HighsSolver;
  beforeAll(async () => {
    solver = await HighsSolver.create();
  });

  it('writes the model in CPLEX LP and MPS form that reads back to the same objective', async () => {
    const { m } = dispatchModel(15);
    const lp = await solver.write(m, 'lp');
    expect(lp).toMatch(/min/i);
    expect(lp).toMatch(/balance/);
    expect(solver.solveText(lp, 'lp').objective).toBeCloseTo(200, 9);
    expect(solver.solveText(await solver.write(m, 'mps'), 'mps').objective).toBeCloseTo(200, 9);
  });

  it('rejects malformed models before the solver sees them', () => {
    const m = new LinearModel();
    expect(() => m.addVariable({ name: 'x', lower: 2, upper: 1 })).toThrow(
      /x: lower bound 2 exceeds upper 1/,
    );
    expect(() => m.addConstraint({ name: 'r', terms: [[3, 1]] })).toThrow(/r: no variable 3/);
  });
});
