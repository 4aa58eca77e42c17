export {
  type BranchFlowSensitivity,
  type InjectionResponse,
  type InjectionSensitivities,
  Linearization,
  type VoltageGradient,
} from './linearization.js';
