export { BusClient, connectBus, type SubmitOptions } from './client.js';
export { BusError } from './errors.js';
export { FeederEngine, type FeederEngineOptions, type FeederEngineStats } from './feeder-engine.js';
export { type BusOrder, type BusResult, orderMsgId, parseBusOrder } from './protocol.js';
export {
  deleteStreams,
  ensureEngineConsumer,
  ensureFeederStreams,
  isNotFound,
  readSubject,
  type StreamOptions,
} from './streams.js';
export { checkFeederName, DEFAULT_PREFIX, FeederTopology } from './topology.js';
