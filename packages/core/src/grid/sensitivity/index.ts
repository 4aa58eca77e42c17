export { type BranchFlowSensitivity, type InjectionResponse, Linearization } from './linearization.js';
