export { type PerformanceScore, PJM_MAX_DELAY_S, pjmPerformanceScore } from './pjm-score.js';
export { type RegDSignalOptions, regDSignal } from './regd-signal.js';
