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
  TopologyError,
  UnsupportedFeatureError,
} from './gridtier-error.js';
