export { ControlQueue } from './control-queue.js';
export {
  elementPower,
  type NodeVoltage,
  type PhasePower,
  type PowerFlowResult,
  summarize,
} from './results.js';
export { nearestBase, type RunOptions, runScript, type ScriptRun } from './run-script.js';
export { type PowerInjection, type SnapshotOptions, SnapshotSolver, type SnapshotStats } from './snapshot.js';
export { elementCurrents } from './snapshot-state.js';
