export { type PerformanceScore, pjmPerformanceScore } from './pjm-score.js';
export { type RegDSignalOptions, regDSignal } from './regd-signal.js';
