export {
  ControlLaw,
  type ControlLawOptions,
  type ControlReport,
  checkControlLawOptions,
  newControlReport,
} from './control-law.js';
export { type ControllerOptions, FleetController, type RoundResult } from './controller.js';
export { meanDisabledS, reduceTree } from './estimate.js';
export { type GoalProfile, rampGoal, stepGoal } from './goals.js';
export {
  dfKw,
  dfTierKw,
  drKw,
  efKw,
  efTierKw,
  enabledKw,
  enabledTierKw,
  erKw,
  tierDemandKw,
  totalDemandKw,
  uncontrolledKw,
} from './state-view.js';
export { rmsTrackingErrorPct, runTrajectory, type Trajectory } from './trajectory.js';
