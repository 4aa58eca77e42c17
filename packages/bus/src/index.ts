export { BusClient, connectBus, type SubmitOptions } from './client.js';
export { BusError } from './errors.js';
export { FeederEngine, type FeederEngineOptions, type FeederEngineStats } from './feeder-engine.js';
export { type BusOrder, type BusResult, orderMsgId, parseBusOrder } from './protocol.js';
export {
  deleteStreams,
  ensureDurable,
  ensureEngineConsumer,
  ensureFeederStreams,
  ensureStream,
  isNotFound,
  readSubject,
  type StreamOptions,
} from './streams.js';
export {
  BusSubstationPort,
  type CoordinatorOptions,
  ensureSubstationStream,
  type FeederCurve,
  publishCurve,
  type SubstationClearing,
  SubstationCoordinator,
  SubstationTopology,
} from './substation.js';
export { checkFeederName, DEFAULT_PREFIX, FeederTopology } from './topology.js';
