export { ControlQueue } from './control-queue.js';
export { type NodeVoltage, type PhasePower, type PowerFlowResult, summarize } from './results.js';
export { nearestBase, runScript, type ScriptRun } from './run-script.js';
export { type SnapshotOptions, SnapshotSolver, type SnapshotStats } from './snapshot.js';
