export { buildControls, buildNetwork, lineGeometryConstants, terminalOf } from './build-network.js';
export {
  type ControlMode,
  DssCircuitState,
  dssClasses,
  type SolutionClock,
  type SolveMode,
  type SolveOptions,
} from './circuit-state.js';
export type { DssClassDef, DssObject, EditContext, PropertyDef } from './class-def.js';
export type { CapacitorObj } from './classes/capacitor.js';
export type { InjectionClassDef, PowerInjection } from './classes/der.js';
export type { GeneratorObj } from './classes/generator.js';
export type { LineObj } from './classes/line.js';
export type { LineCodeObj } from './classes/linecode.js';
export type { LoadObj } from './classes/load.js';
export { type LoadShapeObj, shapeAt } from './classes/loadshape.js';
export { type MonitorObj, type MonitorRecord, monitorCsv } from './classes/monitor.js';
export { type PVSystemObj, pvOutput, pvSystemClass } from './classes/pvsystem.js';
export {
  type StorageObj,
  storageClass,
  storageOutput,
  storageTrigger,
  updateStorage,
} from './classes/storage.js';
export type { TransformerObj } from './classes/transformer.js';
export { DssInterpreter, type ScriptHost, type SolutionHooks } from './interpreter.js';
export { type Param, type ParsedCommand, parseCommand, type ScriptLine, splitScript } from './lexer.js';
export { memoryHost } from './memory-host.js';
export { evaluateRpn } from './rpn.js';
export { type ShapeScale, type StorageStep, storageSteps, timeSeriesScales } from './time-shapes.js';
export { type BusSpec, parseBusSpec, ValueReader } from './values.js';
