export {
  type BranchFlowSensitivity,
  type InjectionResponse,
  type InjectionSensitivities,
  Linearization,
  type NodeSensitivities,
  type SparseGradient,
  type VoltageGradient,
} from './linearization.js';
