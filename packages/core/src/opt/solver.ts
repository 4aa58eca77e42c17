import type { LinearModel } from './linear-model.js';

export type SolveStatus = 'optimal' | 'infeasible' | 'unbounded' | 'limit' | 'error';

/** A simplex basis: per column and row 0 at lower, 1 basic, 2 at upper, 3 free at zero. */
export interface LpBasis {
  colStatus: Int32Array;
  rowStatus: Int32Array;
}

export interface SolveOptions {
  timeLimitSec?: number;
  mipGap?: number;
  /** warm start for an LP, e.g. the basis of a slightly different earlier model */
  basis?: LpBasis;
}

export interface LpSolution {
  status: SolveStatus;
  /** the solver's own words for the status */
  detail: string;
  objective: number;
  x: Float64Array;
  /** row activities */
  rowValue: Float64Array;
  /** dual of each row: d objective / d right-hand side (0 for a MIP) */
  rowDual: Float64Array;
  colDual: Float64Array;
  solveMs: number;
  /** the optimal basis of an LP, to warm-start the next one */
  basis?: LpBasis;
}

/**
 * What a market needs from an LP/MILP solver. Asynchronous, so a solver may run on this thread
 * (HiGHS WebAssembly), in a worker thread or in another process (COIN-OR CLP/CBC) alike; every
 * implementation passes the same test suite (lpSolverSuite).
 */
export interface LpSolver {
  readonly name: string;
  solve(model: LinearModel, options?: SolveOptions): Promise<LpSolution>;
  /** The model in CPLEX LP or MPS form, as the solver writes it, so any solver can check it. */
  write(model: LinearModel, format: 'lp' | 'mps'): Promise<string>;
  /** Releases what the solver holds (a worker, a process); it may not be used afterwards. */
  close?(): Promise<void>;
}

export interface MipPricing {
  mip: LpSolution;
  /** the LP with every integer fixed at the MIP's values; its duals are the prices */
  pricing: LpSolution;
}

/**
 * Solves a MILP and prices it: the integer decisions come from the MIP, the prices from the
 * duals of the LP with those decisions fixed, as electricity markets clear with commitment.
 */
export async function solveAndPrice(
  solver: LpSolver,
  model: LinearModel,
  basis?: LpBasis,
): Promise<MipPricing> {
  if (!model.isMip) {
    const lp = await solver.solve(model, { basis });
    return { mip: lp, pricing: lp };
  }
  const mip = await solver.solve(model);
  if (mip.status !== 'optimal') return { mip, pricing: mip };
  const pricing = await solver.solve(model.fixIntegers(mip.x), { basis });
  return { mip, pricing };
}
