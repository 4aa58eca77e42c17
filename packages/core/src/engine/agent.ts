import type { SessionWindow } from '../time/index.js';
import type { EngineEvent } from './event.js';
import type { OrderAck, OrderRequest } from './gateway.js';
import type { SessionInfo } from './market.js';

/**
 * A participant of the markets: a household's energy manager, a VPP aggregator, the DSO, a
 * retailer, the ISO — or, through the server, a client outside the process. It sees only the
 * events it is entitled to (public market data, its own orders, fills and statements, and what
 * its members entrust to it as their aggregator) and acts only through its context: the same
 * surface the server exposes to outside clients.
 */
export interface Agent {
  /** the participant id its orders and statements carry */
  readonly id: string;
  /** its role: events it publishes are named `<kind>.…` */
  readonly kind: string;
  /**
   * event types it wants: exact (`market.fill`), by prefix (`market.`), or of one market
   * (`market.cleared@lem-rt`: the event's payload names that market)
   */
  readonly interests: readonly string[];
  start?(ctx: AgentContext): void | Promise<void>;
  onEvent?(event: EngineEvent, ctx: AgentContext): void | Promise<void>;
}

export interface AgentContext {
  readonly id: string;
  now(): number;
  submit(request: OrderRequest): OrderAck;
  cancel(market: string, orderId: string): OrderAck;
  replace(market: string, orderId: string, order: unknown): OrderAck;
  /** sessions of one market or of all, open or still to open */
  sessions(market?: string): SessionInfo[];
  /** opens a session of a market this participant operates (a DSO's call for flexibility); returns its id */
  openSession(market: string, window: SessionWindow): string;
  /** runs `fn` at `t` */
  at(t: number, fn: () => void | Promise<void>): void;
  /** runs `fn(t)` at `startMs`, then every `periodMs` while t < `endMs` */
  every(periodMs: number, startMs: number, endMs: number, fn: (t: number) => void | Promise<void>): void;
  /** publishes an announcement as this agent; its type must begin with the agent's kind */
  publish(type: string, payload: unknown, to?: readonly string[]): EngineEvent;
}
