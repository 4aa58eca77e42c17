export { cloneGraph } from './clone.js';
export { type ControlState, controlStateOf, restoreControlState } from './control-state.js';
export type {
  CapacitorControl,
  InverterControl,
  InverterDer,
  InverterMemory,
  InverterOutput,
  RegulatorControl,
} from './controls.js';
export {
  type ElementKind,
  type NetworkElement,
  type Terminal,
  twoTerminal,
  vanishingDiagonal,
} from './element.js';
export { FaultElement } from './fault.js';
export { LineElement, type LineParams } from './line.js';
export {
  type ConcentricNeutral,
  type ConductorSpec,
  type EarthModel,
  kron,
  type LineConstants,
  lineConstants,
  type TapeShield,
} from './line-constants.js';
export { LoadElement, type LoadModel, type LoadParams } from './load.js';
export { LoadBank } from './load-bank.js';
export { Network, type NetworkInput, type NodeRef } from './network.js';
export { PvGeneratorElement, type PvGeneratorParams } from './pv-generator.js';
export { CapacitorElement, type CapacitorParams, ReactorElement, type ReactorParams } from './shunt.js';
export {
  roundHalfEven,
  TransformerElement,
  type TransformerParams,
  type WindingParams,
} from './transformer.js';
export { VsourceElement, type VsourceParams } from './vsource.js';
export { XyCurve } from './xy-curve.js';
