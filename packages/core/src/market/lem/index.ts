export { BALANCE_TOLERANCE_KW, type ClearOptions, clearMarket } from './clear.js';
export { InProcessLemClearer, type LemClearer } from './clearer.js';
export type {
  BindingConstraint,
  Dlmp,
  LemConvergence,
  LemIteration,
  LemModelSize,
  LemResult,
  LemStatus,
  LimitViolation,
  OrderSchedule,
  SettlementLine,
} from './types.js';
