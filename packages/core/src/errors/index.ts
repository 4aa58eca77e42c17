export {
  ConvergenceError,
  DssReferenceError,
  DssSyntaxError,
  formatLocation,
  GridTierError,
  type GridTierErrorOptions,
  InvalidValueError,
  NumericalError,
  type SourceLocation,
  TimeoutError,
  TopologyError,
  UnsupportedFeatureError,
} from './gridtier-error.js';
