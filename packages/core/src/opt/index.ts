export { HighsSolver } from './highs-solver.js';
export {
  type ConstraintSpec,
  LinearModel,
  type LinearModelArrays,
  type VariableSpec,
} from './linear-model.js';
export { toMps } from './mps.js';
export {
  type LpBasis,
  type LpSolution,
  type LpSolver,
  type MipPricing,
  type SolveOptions,
  type SolveStatus,
  solveAndPrice,
} from './solver.js';
