export type { Agent, AgentContext } from './agent.js';
export { Engine, type EngineOptions, InvariantError, sessionId, sessionStartOf } from './engine.js';
export { type EngineEvent, type EventDraft, eventToLine, lineToEvent } from './event.js';
export { checkNext, type EventLog, MemoryEventLog } from './event-log.js';
export type { OrderAck, OrderRequest, RejectCode } from './gateway.js';
export type {
  ClearingOutcome,
  Fill,
  MarketService,
  Matched,
  MoneyLine,
  OrderTicket,
  PublicTrade,
  Session,
  SessionInfo,
  SessionState,
  Validation,
} from './market.js';
export { PHASE, type Phase, Scheduler, type Task } from './scheduler.js';
