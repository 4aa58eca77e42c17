export { type ClearOptions, clearMarket } from './clear.js';
export type {
  BindingConstraint,
  Dlmp,
  LemIteration,
  LemResult,
  OrderSchedule,
  SettlementLine,
} from './types.js';
