import { GridTierError, InvalidValueError } from '../errors/index.js';
import type { Clock, SessionWindow } from '../time/index.js';
import type { Agent, AgentContext } from './agent.js';
import type { EngineEvent, EventDraft } from './event.js';
import { type EventLog, MemoryEventLog } from './event-log.js';
import type { OrderAck, OrderRequest, RejectCode } from './gateway.js';
import type {
  ClearingOutcome,
  Fill,
  MarketService,
  Matched,
  MoneyLine,
  OrderTicket,
  Session,
  SessionInfo,
} from './market.js';
import { PHASE, type Phase, Scheduler } from './scheduler.js';

export interface EngineOptions {
  clock: Clock;
  /** where events go; in memory by default */
  log?: EventLog;
  /** measure wall time per market and agent kind (`wallMs`); off by default, it costs a clock read per delivery */
  timing?: boolean;
}

interface AgentRecord {
  agent: Agent;
  ctx: AgentContext;
  suspended: boolean;
}

interface Delivery {
  to: AgentRecord;
  event: EngineEvent;
}

interface Observer {
  interests: readonly string[];
  fn: (event: EngineEvent) => void;
  /** sees private events too: the engine's own bookkeeping (reports, the operator's books) */
  all: boolean;
}

const wants = (interests: readonly string[], type: string) =>
  interests.some((i) => i === type || (i.endsWith('.') && type.startsWith(i)) || i.startsWith(`${type}@`));

/**
 * The markets an agent takes events of a type from, by its `type@market` interests; null when it
 * takes them all (an interest in the type itself, or in a prefix of it).
 */
function marketFilter(interests: readonly string[], type: string): Set<string> | null {
  const only = new Set<string>();
  for (const i of interests) {
    if (i === type || (i.endsWith('.') && type.startsWith(i))) return null;
    if (i.startsWith(`${type}@`)) only.add(i.slice(type.length + 1));
  }
  return only;
}

/**
 * The agents that want an event type, in the order they joined: each one's place, its market
 * filter (null: every market), those without a filter, and those with one by market — so a
 * public event reaches its subscribers without a look at the others.
 */
interface Subscribers {
  list: AgentRecord[];
  place: Map<string, number>;
  markets: (Set<string> | null)[];
  open: number[];
  byMarket: Map<string, number[]>;
}

const NONE: readonly number[] = [];

/** Money that must balance did not: a market's bug, never an input's fault. */
export class InvariantError extends GridTierError {
  constructor(message: string, details: Record<string, unknown>) {
    super('INVARIANT', message, { details });
  }
}

/**
 * The market engine: one clock, one sequence of events, markets with gates and agents that act
 * on what they see. The scheduler runs tasks in time order (world, publications, agents, gates
 * within an instant); every event is stamped with the next sequence number, appended to the log
 * and delivered to the agents entitled to it before the next task runs, so a simulated day is
 * a deterministic function of its inputs. The same engine runs on a wall or accelerated clock,
 * where orders also arrive from outside through `submit`.
 */
export class Engine {
  readonly clock: Clock;
  readonly log: EventLog;
  private readonly scheduler = new Scheduler();
  private seq: number;
  private readonly markets = new Map<string, MarketService>();
  private readonly sessions = new Map<string, Session>();
  private readonly sessionsByMarket = new Map<string, Session[]>();
  private readonly tickets = new Map<string, OrderTicket>();
  /** live orders per session id */
  private readonly live = new Map<string, Map<string, OrderTicket>>();
  /** order ids by client order id, per participant and market (one key string per pair, not per order) */
  private readonly clientIds = new Map<string, Map<string, string>>();
  private readonly agents = new Map<string, AgentRecord>();
  /** participant → those it entrusts its private events to (its aggregator, its balance-responsible retailer) */
  private readonly trustees = new Map<string, readonly string[]>();
  /** per event type: who wants it (see Subscribers) */
  private readonly subscribers = new Map<string, Subscribers>();
  private readonly observers: Observer[] = [];
  private readonly deliveries: Delivery[] = [];
  private deliveryHead = 0;
  private draining = false;
  private running = false;
  private drainScheduled = false;
  private dynamicSessions = 0;
  /** wall time spent per market kind (clearing) and agent kind (acting), ms */
  readonly wallMs = new Map<string, number>();
  private readonly timing: boolean;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.log = options.log ?? new MemoryEventLog();
    this.timing = options.timing ?? false;
    this.seq = this.log.lastSeq;
  }

  // ── events ──────────────────────────────────────────────────────────────

  /** Stamps, logs and delivers an event; returns it as logged. */
  publish<P>(draft: EventDraft<P>): EngineEvent<P> {
    const event: EngineEvent<P> = { seq: ++this.seq, t: this.clock.now(), ...draft };
    this.log.append(event);
    this.route(event);
    return event;
  }

  /**
   * Calls `fn` synchronously with every public event of the types named (every event, private
   * ones too, with `all`): how the operator's own components — a market that needs the ISO's
   * prices, the books a report is made from — follow the day without being participants.
   */
  observe(
    interests: readonly string[],
    fn: (event: EngineEvent) => void,
    options: { all?: boolean } = {},
  ): void {
    this.observers.push({ interests, fn, all: options.all ?? false });
  }

  private route(event: EngineEvent): void {
    for (const o of this.observers)
      if ((o.all || event.to === undefined) && wants(o.interests, event.type)) o.fn(event);
    const subs = this.subscribersOf(event.type);
    if (subs.list.length === 0) return;
    const market = (event.payload as { market?: unknown } | null)?.market;
    const admits = (i: number) => {
      const only = subs.markets[i];
      return only === null || (typeof market === 'string' && only.has(market));
    };
    if (event.to === undefined) {
      // those that take every such event and those that take this market's, in the order they joined
      const open = subs.open;
      const some = typeof market === 'string' ? (subs.byMarket.get(market) ?? NONE) : NONE;
      let a = 0;
      let b = 0;
      while (a < open.length || b < some.length) {
        const i = b >= some.length || (a < open.length && open[a] < some[b]) ? open[a++] : some[b++];
        this.deliveries.push({ to: subs.list[i], event });
      }
    } else {
      // the few entitled agents, looked up rather than found among every subscriber, and served
      // in the order they joined as a public event's subscribers are
      const places: number[] = [];
      const add = (id: string) => {
        const i = subs.place.get(id);
        if (i !== undefined && !places.includes(i)) places.push(i);
      };
      for (const p of event.to) {
        add(p);
        for (const trustee of this.trustees.get(p) ?? []) add(trustee);
      }
      places.sort((a, b) => a - b);
      for (const i of places) if (admits(i)) this.deliveries.push({ to: subs.list[i], event });
    }
    if (!this.running && !this.drainScheduled) {
      // an event from outside the run loop (a client's order on a live clock) is delivered soon
      this.drainScheduled = true;
      queueMicrotask(() => {
        this.drainScheduled = false;
        void this.drain();
      });
    }
  }

  private subscribersOf(type: string): Subscribers {
    let subs = this.subscribers.get(type);
    if (subs === undefined) {
      const list = [...this.agents.values()].filter((r) => wants(r.agent.interests, type));
      const markets = list.map((r) => marketFilter(r.agent.interests, type));
      const open: number[] = [];
      const byMarket = new Map<string, number[]>();
      markets.forEach((only, i) => {
        if (only === null) open.push(i);
        else
          for (const m of only) {
            let l = byMarket.get(m);
            if (!l) byMarket.set(m, (l = []));
            l.push(i);
          }
      });
      subs = { list, place: new Map(list.map((r, i) => [r.agent.id, i])), markets, open, byMarket };
      this.subscribers.set(type, subs);
    }
    return subs;
  }

  /**
   * Delivers the queued events in order. Synchronous agents are served without a promise per
   * event (the engine's overhead is per event, so this is its hot path); the first agent that
   * returns a promise makes the rest of the queue wait for it.
   */
  private drain(): Promise<void> | undefined {
    if (this.draining) return undefined;
    this.draining = true;
    while (this.deliveryHead < this.deliveries.length) {
      const { to, event } = this.deliveries[this.deliveryHead++];
      const onEvent = to.agent.onEvent;
      if (to.suspended || !onEvent) continue;
      const t0 = this.timing ? performance.now() : 0;
      const r = this.guard(to, () => onEvent.call(to.agent, event, to.ctx));
      if (r) return this.drainAfter(r, to.agent.kind, t0);
      this.charge(to.agent.kind, t0);
    }
    this.deliveries.length = 0;
    this.deliveryHead = 0;
    this.draining = false;
    return undefined;
  }

  private async drainAfter(pending: Promise<void>, kind: string, t0: number): Promise<void> {
    try {
      await pending;
      this.charge(kind, t0);
    } finally {
      this.draining = false;
    }
    const rest = this.drain();
    if (rest) await rest;
  }

  /** Runs an agent's code; an agent that throws is suspended and the day goes on. */
  private guard(rec: AgentRecord, fn: () => void | Promise<void>): Promise<void> | undefined {
    try {
      const r = fn();
      if (r && typeof (r as Promise<void>).then === 'function')
        return (r as Promise<void>).catch((e: unknown) => this.fail(rec, e));
    } catch (e) {
      this.fail(rec, e);
    }
    return undefined;
  }

  private fail(rec: AgentRecord, e: unknown): void {
    rec.suspended = true;
    this.publish({
      type: 'agent.failed',
      actor: 'engine',
      payload: {
        agent: rec.agent.id,
        kind: rec.agent.kind,
        error: e instanceof Error ? e.message : String(e),
      },
    });
  }

  // ── scheduling ──────────────────────────────────────────────────────────

  /** Runs `run` at `t` in `phase`; `owner` is charged with its failures when it is an agent. */
  at(t: number, phase: Phase, owner: string, run: () => void | Promise<void>): void {
    this.scheduler.at(t, phase, owner, run);
  }

  /**
   * Runs the scheduled tasks due up to `untilMs`, in order, delivering the events each
   * produces before the next. On a simulated clock this takes as long as the work; on a wall
   * or accelerated clock it waits for each task's time.
   */
  async run(untilMs: number): Promise<void> {
    if (this.running) throw new InvalidValueError('engine: run is already in progress');
    this.running = true;
    try {
      const first = this.drain();
      if (first) await first;
      for (;;) {
        const next = this.scheduler.peek();
        if (next === undefined || next.t > untilMs) break;
        if (this.clock.mode !== 'simulated' && next.t > this.clock.now()) {
          // wait in short steps, so a task scheduled meanwhile for an earlier time is not missed
          await this.clock.advanceTo(Math.min(next.t, this.clock.now() + 250 * this.clock.speed));
          continue;
        }
        this.scheduler.pop();
        this.clock.advanceTo(next.t);
        const owner = this.agents.get(next.owner);
        if (owner?.suspended) continue;
        const t0 = this.timing ? performance.now() : 0;
        const r = owner ? this.guard(owner, next.run) : next.run();
        if (r) await r;
        this.charge(owner?.agent.kind ?? this.markets.get(next.owner)?.kind ?? next.owner, t0);
        if (this.deliveryHead < this.deliveries.length) {
          const d = this.drain();
          if (d) await d;
        }
      }
      if (this.clock.mode === 'simulated') this.clock.advanceTo(untilMs);
    } finally {
      this.running = false;
    }
  }

  private charge(what: string, t0: number): void {
    if (!this.timing) return;
    this.wallMs.set(what, (this.wallMs.get(what) ?? 0) + performance.now() - t0);
  }

  /** Tasks still scheduled. */
  get pendingTasks(): number {
    return this.scheduler.size;
  }

  // ── agents ──────────────────────────────────────────────────────────────

  /**
   * Adds an agent; `entrusts` names the participants (its VPP aggregator, its balance-responsible
   * retailer) that see its private events too. Its `start` runs when the engine reaches
   * `startMs` (now by default).
   */
  addAgent(agent: Agent, options: { entrusts?: readonly string[]; startMs?: number } = {}): void {
    if (this.agents.has(agent.id))
      throw new InvalidValueError(`agent ${agent.id}: a participant with this id exists already`, {
        details: { field: 'id', agent: agent.id },
      });
    const rec: AgentRecord = { agent, ctx: this.contextFor(agent), suspended: false };
    this.agents.set(agent.id, rec);
    if (options.entrusts !== undefined) this.trustees.set(agent.id, options.entrusts);
    this.subscribers.clear();
    const start = agent.start;
    if (start)
      this.at(options.startMs ?? this.clock.now(), PHASE.agent, agent.id, () => start.call(agent, rec.ctx));
  }

  /** Whether an agent has been suspended for throwing. */
  isSuspended(id: string): boolean {
    return this.agents.get(id)?.suspended ?? false;
  }

  private contextFor(agent: Agent): AgentContext {
    const id = agent.id;
    return {
      id,
      now: () => this.clock.now(),
      submit: (req) => this.submit(id, req),
      cancel: (market, orderId) => this.cancel(id, market, orderId),
      replace: (market, orderId, order) => this.replace(id, market, orderId, order),
      sessions: (market) => this.sessionInfos(market),
      openSession: (market, window) => {
        const m = this.markets.get(market);
        if (!m || m.operator !== id)
          throw new InvalidValueError(`agent ${id}: only the operator of ${market} opens its sessions`);
        return this.addSession(market, window);
      },
      at: (t, fn) => this.at(t, PHASE.agent, id, fn),
      every: (periodMs, startMs, endMs, fn) => {
        const tick = (t: number): void => {
          this.at(t, PHASE.agent, id, () => {
            if (t + periodMs < endMs) tick(t + periodMs);
            return fn(t);
          });
        };
        if (!(periodMs > 0))
          throw new InvalidValueError(`agent ${id}: every() needs a positive period, got ${periodMs}`);
        if (startMs < endMs) tick(startMs);
      },
      publish: (type, payload, to) => {
        if (!type.startsWith(`${agent.kind}.`))
          throw new InvalidValueError(
            `agent ${id}: a ${agent.kind} publishes ${agent.kind}.… events, not ${type}`,
          );
        return this.publish({ type, actor: id, payload, ...(to ? { to } : {}) });
      },
    };
  }

  // ── markets and sessions ────────────────────────────────────────────────

  addMarket(market: MarketService): void {
    if (this.markets.has(market.id))
      throw new InvalidValueError(`market ${market.id}: a market with this id exists already`, {
        details: { field: 'id', market: market.id },
      });
    this.markets.set(market.id, market);
    this.sessionsByMarket.set(market.id, []);
  }

  market(id: string): MarketService | undefined {
    return this.markets.get(id);
  }

  /** Schedules every market's sessions of the day that begins at `dayStartMs`. */
  planDay(dayStartMs: number): void {
    for (const m of this.markets.values())
      for (const w of m.sessionsOfDay(dayStartMs)) this.planSession(m, w, sessionId(m.id, w.deliveryStartMs));
  }

  /**
   * Opens a session of a market outside its regular clock (a DSO's call for flexibility);
   * returns its id.
   */
  addSession(marketId: string, window: SessionWindow): string {
    const m = this.markets.get(marketId);
    if (!m) throw new InvalidValueError(`unknown market ${marketId}`, { details: { field: 'market' } });
    const id = `${sessionId(marketId, window.deliveryStartMs)}#${++this.dynamicSessions}`;
    this.planSession(m, window, id);
    return id;
  }

  private planSession(m: MarketService, w: SessionWindow, id: string): void {
    if (this.sessions.has(id)) return;
    const s: Session = { ...w, id, market: m.id, state: 'planned' };
    this.sessions.set(id, s);
    this.sessionsByMarket.get(m.id)!.push(s);
    this.live.set(id, new Map());
    const open = () => {
      s.state = 'open';
      this.publish({ type: 'session.opened', actor: m.id, payload: this.info(s) });
    };
    // a session opened while the engine runs (a DSO's call) takes orders at once
    if (this.running && w.openMs <= this.clock.now()) open();
    else this.at(w.openMs, PHASE.publish, m.id, open);
    this.at(w.gateMs, PHASE.gate, m.id, () => this.closeGate(m, s));
  }

  private async closeGate(m: MarketService, s: Session): Promise<void> {
    s.state = 'closed';
    const live = [...this.live.get(s.id)!.values()];
    s.gateSeq = this.publish({
      type: 'market.gate',
      actor: m.id,
      payload: { market: m.id, session: s.id, orders: live.length },
    }).seq;
    const outcome = await m.clear(s, live, this.clock.now());
    checkBalance(m.id, s.id, outcome.fills, outcome.lines);
    this.publish({
      type: 'market.cleared',
      actor: m.id,
      payload: { market: m.id, session: s.id, result: outcome.result, lines: outcome.lines },
    });
    for (const tr of outcome.trades ?? [])
      this.publish({ type: 'market.trade', actor: m.id, payload: { market: m.id, session: s.id, ...tr } });
    this.publishFills(m.id, s.id, outcome.fills);
    s.state = 'cleared';
    this.live.get(s.id)!.clear();
    this.live.delete(s.id);
  }

  private publishFills(market: string, session: string, fills: readonly Fill[]): void {
    for (const f of fills) {
      // an order that got nothing and is told nothing needs no event: its session's result says so
      if (f.kwh === 0 && f.usd === 0 && f.detail === undefined) continue;
      const t = this.tickets.get(f.orderId);
      this.publish({
        type: 'market.fill',
        actor: market,
        to: [f.participant],
        payload: { market, session, clientOrderId: t?.clientOrderId, ...f },
      });
    }
  }

  private publishMatched(m: MarketService, s: Session, matched: Matched | undefined): void {
    if (!matched) return;
    checkBalance(m.id, s.id, matched.fills, matched.lines);
    for (const tr of matched.trades)
      this.publish({ type: 'market.trade', actor: m.id, payload: { market: m.id, session: s.id, ...tr } });
    if (matched.lines.length > 0)
      this.publish({
        type: 'market.lines',
        actor: m.id,
        payload: { market: m.id, session: s.id, lines: matched.lines },
      });
    this.publishFills(m.id, s.id, matched.fills);
    for (const id of matched.done) this.live.get(s.id)?.delete(id);
  }

  sessionInfos(market?: string): SessionInfo[] {
    const list =
      market === undefined ? [...this.sessions.values()] : (this.sessionsByMarket.get(market) ?? []);
    return list.filter((s) => s.state === 'planned' || s.state === 'open').map((s) => this.info(s));
  }

  session(id: string): SessionInfo | undefined {
    const s = this.sessions.get(id);
    return s && this.info(s);
  }

  private info(s: Session): SessionInfo {
    const m = this.markets.get(s.market)!;
    return {
      id: s.id,
      market: s.market,
      kind: m.kind,
      product: m.product.name,
      deliveryStartMs: s.deliveryStartMs,
      deliveryEndMs: s.deliveryEndMs,
      openMs: s.openMs,
      gateMs: s.gateMs,
      state: s.state,
    };
  }

  /** An order as the engine keeps it. */
  order(orderId: string): OrderTicket | undefined {
    return this.tickets.get(orderId);
  }

  // ── order intake ────────────────────────────────────────────────────────

  /** Takes an order from a participant: accepted into an open session, or refused naming why. */
  submit(participant: string, req: OrderRequest): OrderAck {
    const cid = req.clientOrderId;
    const refuse = (code: RejectCode, field: string, reason: string) =>
      this.refuse(participant, req.market, { code, field, reason, clientOrderId: cid });
    if (this.agents.get(participant)?.suspended)
      return refuse('SUSPENDED', 'participant', `participant ${participant} is suspended after a failure`);
    const m = this.markets.get(req.market);
    if (!m) return refuse('UNKNOWN_MARKET', 'market', `no market "${req.market}"`);
    if (cid !== undefined && (typeof cid !== 'string' || cid.length === 0 || cid.length > 128))
      return refuse('INVALID_ORDER', 'clientOrderId', 'must be a string of 1 to 128 characters');
    const ids = cid === undefined ? undefined : this.clientIdsOf(participant, m.id);
    const known = ids?.get(cid!);
    if (known !== undefined) {
      const t = this.tickets.get(known)!;
      if (req.session !== undefined && req.session !== t.session)
        return refuse('CLIENT_ID_REUSED', 'clientOrderId', `already names order ${known} of ${t.session}`);
      return { ok: true, orderId: known, session: t.session, seq: t.seq, duplicate: true };
    }
    const s = this.resolveSession(m.id, req.session);
    if (typeof s === 'string') return refuse('UNKNOWN_SESSION', 'session', s);
    if (s.state === 'planned')
      return refuse('NOT_OPEN', 'session', `${s.id} opens at ${new Date(s.openMs).toISOString()}`);
    if (s.state !== 'open')
      return refuse('GATE_CLOSED', 'session', `${s.id}: its gate closed at ${iso(s.gateMs)}`);
    const v = m.validate(req.order, participant);
    if (!v.ok) return refuse('INVALID_ORDER', v.field, v.reason);
    const seq = this.seq + 1;
    const orderId = `o${seq}`;
    const ticket: OrderTicket = {
      orderId,
      clientOrderId: cid ?? orderId,
      participant,
      market: m.id,
      session: s.id,
      seq,
      t: this.clock.now(),
      order: v.order,
    };
    this.publish({
      type: 'order.accepted',
      actor: participant,
      to: [participant],
      payload: { orderId, clientOrderId: ticket.clientOrderId, market: m.id, session: s.id, order: v.order },
    });
    this.tickets.set(orderId, ticket);
    if (cid !== undefined) ids!.set(cid, orderId);
    this.live.get(s.id)!.set(orderId, ticket);
    this.publishMatched(m, s, m.accept?.(s, ticket, ticket.t));
    return { ok: true, orderId, session: s.id, seq };
  }

  cancel(participant: string, market: string, orderId: string): OrderAck {
    const found = this.ownLive(participant, market, orderId);
    if ('code' in found) return this.refuse(participant, market, { ...found, orderId });
    const { m, s, ticket } = found;
    m.cancel?.(s, ticket, this.clock.now());
    this.live.get(s.id)!.delete(orderId);
    const e = this.publish({
      type: 'order.cancelled',
      actor: participant,
      to: [participant],
      payload: { orderId, clientOrderId: ticket.clientOrderId, market, session: s.id },
    });
    return { ok: true, orderId, session: s.id, seq: e.seq };
  }

  replace(participant: string, market: string, orderId: string, order: unknown): OrderAck {
    const found = this.ownLive(participant, market, orderId);
    if ('code' in found) return this.refuse(participant, market, { ...found, orderId });
    const { m, s, ticket } = found;
    const v = m.validate(order, participant);
    if (!v.ok)
      return this.refuse(participant, market, {
        code: 'INVALID_ORDER',
        field: v.field,
        reason: v.reason,
        orderId,
      });
    const next: OrderTicket = { ...ticket, order: v.order, seq: this.seq + 1, t: this.clock.now() };
    const e = this.publish({
      type: 'order.replaced',
      actor: participant,
      to: [participant],
      payload: { orderId, clientOrderId: ticket.clientOrderId, market, session: s.id, order: v.order },
    });
    this.tickets.set(orderId, next);
    this.live.get(s.id)!.set(orderId, next);
    this.publishMatched(m, s, m.replace?.(s, ticket, next, next.t));
    return { ok: true, orderId, session: s.id, seq: e.seq };
  }

  private ownLive(
    participant: string,
    market: string,
    orderId: string,
  ):
    | { m: MarketService; s: Session; ticket: OrderTicket }
    | { code: RejectCode; field: string; reason: string } {
    if (this.agents.get(participant)?.suspended)
      return { code: 'SUSPENDED', field: 'participant', reason: `participant ${participant} is suspended` };
    const m = this.markets.get(market);
    if (!m) return { code: 'UNKNOWN_MARKET', field: 'market', reason: `no market "${market}"` };
    const ticket = this.tickets.get(orderId);
    if (!ticket || ticket.market !== market)
      return { code: 'UNKNOWN_ORDER', field: 'orderId', reason: `no order ${orderId} in ${market}` };
    if (ticket.participant !== participant)
      return { code: 'NOT_OWNER', field: 'orderId', reason: `order ${orderId} is not ${participant}'s` };
    const s = this.sessions.get(ticket.session)!;
    if (s.state !== 'open')
      return {
        code: 'GATE_CLOSED',
        field: 'session',
        reason: `${s.id}: its gate closed at ${iso(s.gateMs)}`,
      };
    if (!this.live.get(s.id)!.has(orderId))
      return { code: 'UNKNOWN_ORDER', field: 'orderId', reason: `order ${orderId} is no longer live` };
    return { m, s, ticket };
  }

  private clientIdsOf(participant: string, market: string): Map<string, string> {
    const key = `${participant}\u0000${market}`;
    let ids = this.clientIds.get(key);
    if (!ids) this.clientIds.set(key, (ids = new Map()));
    return ids;
  }

  private resolveSession(market: string, id: string | undefined): Session | string {
    if (id !== undefined) {
      const s = this.sessions.get(id);
      return s && s.market === market ? s : `no session "${id}" of ${market}`;
    }
    const open = this.sessionsByMarket.get(market)!.filter((s) => s.state === 'open');
    if (open.length === 1) return open[0];
    return open.length === 0
      ? `${market} has no session open: name one`
      : `${market} has ${open.length} sessions open: name one`;
  }

  private refuse(
    participant: string,
    market: string,
    r: { code: RejectCode; field: string; reason: string; orderId?: string; clientOrderId?: string },
  ): OrderAck {
    this.publish({
      type: 'order.rejected',
      actor: participant,
      to: [participant],
      payload: { market, ...r },
    });
    return { ok: false, ...r };
  }
}

const iso = (t: number) => new Date(t).toISOString();

/** A session's id: its market and the first delivered instant. */
export function sessionId(market: string, deliveryStartMs: number): string {
  return `${market}@${iso(deliveryStartMs).replace(/:00\.000Z$/, 'Z')}`;
}

/** Session ids parsed already: every agent of a feeder asks for the same few a day. */
const sessionStarts = new Map<string, number>();

/** The first delivered instant a session id names (a dynamic session's `#n` suffix ignored). */
export function sessionStartOf(id: string): number {
  let ms = sessionStarts.get(id);
  if (ms === undefined) {
    ms = Date.parse(id.slice(id.indexOf('@') + 1).replace(/#.*$/, ''));
    // bounded: a long-running server names new sessions every day
    if (sessionStarts.size >= 100_000) sessionStarts.clear();
    sessionStarts.set(id, ms);
  }
  return ms;
}

function checkBalance(
  market: string,
  session: string,
  fills: readonly Fill[],
  lines: readonly MoneyLine[],
): void {
  let sum = 0;
  let scale = 1;
  for (const f of fills) {
    sum += f.usd;
    scale += Math.abs(f.usd);
  }
  for (const l of lines) {
    sum += l.usd;
    scale += Math.abs(l.usd);
  }
  if (!(Math.abs(sum) <= 1e-9 * scale))
    throw new InvariantError(`${session}: money does not sum to zero (${sum} $)`, { market, session, sum });
}

export type { ClearingOutcome };
