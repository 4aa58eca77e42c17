import { type EngineEvent, eventToLine, type OrderAck, type RejectCode } from '@gridtier/core/engine';
import { PRODUCTS, type TimeSource } from '@gridtier/core/time';
import { ExchangeMarket, LemMarket, type SubstationPort, SubstationPrices } from '@gridtier/core/venues';
import {
  LiveMarkets,
  type LiveProgram,
  openRepository,
  peerToPeerMarkets,
  type Repository,
  type StoreLocation,
} from '@gridtier/server';
import type { ConsumerMessages, JetStreamClient, JsMsg, NatsConnection, Subscription } from 'nats';
import { connectBus } from './client.js';
import { BusError } from './errors.js';
import { type BusResult, orderMsgId, parseBusOrder } from './protocol.js';
import { ensureEngineConsumer, ensureFeederStreams, isNotFound, type StreamOptions } from './streams.js';
import { BusSubstationPort, ensureSubstationStream, SubstationTopology } from './substation.js';
import { DEFAULT_PREFIX, FeederTopology } from './topology.js';

export interface FeederEngineOptions extends StreamOptions {
  /** nats://host:port */
  url: string;
  feeder: string;
  prefix?: string;
  /** the feeder's system of record: an embedded database's folder or a PostgreSQL server and schema */
  store: StoreLocation;
  /** `wall` or `xN` */
  clock: string;
  /** where an accelerated clock starts on the first start */
  startMs?: number;
  /** what runs (default: the peer-to-peer markets, as `gridtier serve` without a scenario) */
  program?: (epochMs: number) => LiveProgram | Promise<LiveProgram>;
  /** ms without an ack after which JetStream delivers an order again (default 30 s) */
  ackWaitMs?: number;
  /** orders delivered and not yet acknowledged, at most (default 2000) */
  maxAckPending?: number;
  /**
   * the substation this feeder exchanges with: adds the market `exchange` (5-minute intervals, gate
   * 5 minutes ahead), whose gate sends the feeder's curve to the substation's coordinator and clears
   * at its price; the feeder's real-time LEM, if it runs one, then clears each interval the
   * exchange cleared with the substation's price at its source bus instead of the ISO's
   */
  substation?: string;
  /** real ms between two steps of the engine (default 20) */
  stepMs?: number;
  /** where real time comes from (tests move it by hand) */
  source?: TimeSource;
  /** the log or the bus failed for good: the engine stops taking orders and should exit */
  onFatal?: (error: Error) => void;
}

/** Counters of one engine's run, for its report and the benchmark. */
export interface FeederEngineStats {
  /** order messages taken from the stream (redeliveries included) */
  delivered: number;
  /** of which answered from an earlier result without reaching the engine again */
  answeredAgain: number;
  /** malformed messages refused before the engine */
  malformed: number;
  /** events published on the events subject */
  eventsPublished: number;
  /** gates this run closed whose clearing reached the events subject */
  gates: number;
}

const key = (participant: string, market: string, clientOrderId: string) =>
  `${participant}\u0000${market}\u0000${clientOrderId}`;

/**
 * One feeder's market engine as its own process on the bus. It reads the feeder's orders from its
 * durable JetStream consumer, puts each into the engine (the same `LiveMarkets` as `gridtier
 * serve`, so the log is the same and a restart replays it the same way), and acknowledges the
 * message only once the order's events are durable in the feeder's database. A message delivered
 * again — after a crash between the commit and the ack, or after the ack wait — is answered with
 * the result the log already holds for its order (by participant, market and client order id), so
 * the log holds every order once. Events are published on the events subject after they are
 * durable, each with its sequence number as message id; a restart publishes from the last event
 * the stream holds, so the stream is the log, once and in order.
 */
export class FeederEngine {
  readonly stats: FeederEngineStats = {
    delivered: 0,
    answeredAgain: 0,
    malformed: 0,
    eventsPublished: 0,
    gates: 0,
  };
  /** every order's result by participant, market and client order id, rebuilt from the log on start */
  private readonly answers = new Map<string, OrderAck>();
  /** orders under way, so a second delivery of one waits for the first's result */
  private readonly underway = new Map<string, Promise<OrderAck>>();
  private readonly outbox: EngineEvent[] = [];
  private wakePublisher: () => void = () => {};
  private publisher: Promise<void> | undefined;
  private consuming: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  private sessionsSub: Subscription | undefined;
  private readonly inflight = new Set<Promise<void>>();
  /** when each gate's step published its gate event (performance.now()), by session */
  private readonly gateAt = new Map<string, number>();
  /** ms from a gate's step to its market.cleared event stored on the events subject, the last 10,000 */
  private readonly clearingMs: number[] = [];
  private stopping = false;
  private fatal: Error | undefined;

  private constructor(
    readonly topology: FeederTopology,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly repo: Repository,
    readonly live: LiveMarkets,
    private readonly onFatal: (error: Error) => void,
    /** the last event the events subject held at start */
    readonly publishedAtStart: number,
    private readonly port: BusSubstationPort | undefined,
  ) {}

  static async start(o: FeederEngineOptions): Promise<FeederEngine> {
    const topology = new FeederTopology(o.prefix ?? DEFAULT_PREFIX, o.feeder);
    const nc = await connectBus(o.url, `gridtier-feeder-${o.feeder}`);
    let repo: Repository | undefined;
    let port: BusSubstationPort | undefined;
    try {
      const jsm = await nc.jetstreamManager();
      await ensureFeederStreams(jsm, topology, o);
      await ensureEngineConsumer(jsm, topology, o);
      repo = await openRepository(o.store);
      const answers = new Map<string, OrderAck>();
      const base = o.program ?? (() => ({ markets: peerToPeerMarkets() }));
      if (o.substation !== undefined) {
        const t = new SubstationTopology(topology.prefix, o.substation);
        await ensureSubstationStream(jsm, t);
        port = new BusSubstationPort(nc, t);
      }
      const live = await LiveMarkets.open({
        repo,
        program: port ? withExchange(base, o.feeder, port) : base,
        clock: o.clock,
        startMs: o.startMs,
        ...(o.stepMs !== undefined ? { stepMs: o.stepMs } : {}),
        ...(o.source !== undefined ? { source: o.source } : {}),
        // the replay publishes the stored events again: the answers are rebuilt with it
        observe: (engine) =>
          engine.observe(['order.accepted', 'order.rejected'], (e) => recordAnswer(answers, e), {
            all: true,
          }),
      });
      const published = await lastPublishedSeq(nc, topology);
      if (published > live.lastSeq)
        throw new BusError(
          `feeder ${o.feeder}: ${topology.eventsSubject} holds events up to ${published}, its log only up to ${live.lastSeq}: the log is not this feeder's (another --data or --database?)`,
          { details: { field: 'feeder', published, logged: live.lastSeq } },
        );
      const engine = new FeederEngine(
        topology,
        nc,
        nc.jetstream(),
        repo,
        live,
        o.onFatal ?? (() => {}),
        published,
        port,
      );
      for (const [k, v] of answers) engine.answers.set(k, v);
      live.onEvent((e) => {
        if (e.type === 'market.gate')
          engine.gateAt.set((e.payload as { session: string }).session, performance.now());
        engine.outbox.push(e);
        engine.wakePublisher();
      });
      await engine.catchUp(published);
      engine.publisher = engine.publish();
      engine.sessionsSub = nc.subscribe(topology.sessionsSubject, {
        callback: (_err, m) => {
          let market: string | undefined;
          try {
            market = m.json<{ market?: string } | null>()?.market;
          } catch {}
          void live
            .read((en) => en.sessionInfos(market))
            .then((s) => m.respond(new TextEncoder().encode(JSON.stringify(s))));
        },
      });
      live.start();
      const consumer = await engine.js.consumers.get(topology.ordersStream, topology.engineConsumer);
      engine.messages = await consumer.consume({ max_messages: 512 });
      engine.consuming = engine.consume(engine.messages);
      return engine;
    } catch (e) {
      await repo?.close().catch(() => {});
      await nc.close().catch(() => {});
      throw e;
    }
  }

  /** Publishes the events the journal holds past what the events subject has (after a crash). */
  private async catchUp(published: number): Promise<void> {
    const batch: EngineEvent[] = [];
    for await (const e of this.live.engine.log.read(published + 1)) {
      batch.push(e);
      if (batch.length >= 1000) await this.send(batch.splice(0));
    }
    await this.send(batch);
  }

  private async send(events: readonly EngineEvent[]): Promise<void> {
    const subject = this.topology.eventsSubject;
    const feeder = this.topology.feeder;
    await Promise.all(
      events.map((e) =>
        this.js.publish(subject, new TextEncoder().encode(eventToLine(e)), { msgID: `${feeder}:${e.seq}` }),
      ),
    );
    this.stats.eventsPublished += events.length;
    for (const e of events) {
      if (e.type !== 'market.cleared') continue;
      const session = (e.payload as { session: string }).session;
      const t = this.gateAt.get(session);
      if (t === undefined) continue;
      this.gateAt.delete(session);
      this.stats.gates++;
      if (this.clearingMs.length >= 10_000) this.clearingMs.shift();
      this.clearingMs.push(performance.now() - t);
    }
  }

  /** How long this run's gates took from their step to the cleared event stored on the bus, ms. */
  clearingLatency(): { gates: number; p50Ms: number; maxMs: number } {
    const s = [...this.clearingMs].sort((a, b) => a - b);
    return {
      gates: s.length,
      p50Ms: s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)],
      maxMs: s.length === 0 ? Number.NaN : s[s.length - 1],
    };
  }

  /** Publishes new events once durable, in batches: every event of a batch waits for one flush. */
  private async publish(): Promise<void> {
    while (!this.fatal) {
      if (this.outbox.length === 0) {
        if (this.stopping) return;
        await new Promise<void>((resolve) => {
          this.wakePublisher = resolve;
          setTimeout(resolve, 100);
        });
        continue;
      }
      const batch = this.outbox.splice(0, 2000);
      try {
        await this.live.durable();
        await this.send(batch);
      } catch (e) {
        // a batch not published is published again (its message ids keep it once in the stream)
        this.outbox.unshift(...batch);
        if (this.stopping) return this.fail(e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async consume(messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      if (this.fatal) break;
      // handled in delivery order: each enters the engine's queue before the next is read
      const p = this.handle(m).catch((e) => this.fail(e));
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }
  }

  private async handle(m: JsMsg): Promise<void> {
    this.stats.delivered++;
    const parsed = parseBusOrder(m.data);
    const msgId = m.headers?.get('Nats-Msg-Id') ?? `stream:${m.seq}`;
    if (!parsed.ok) {
      this.stats.malformed++;
      await this.answer({
        msgId,
        feeder: this.topology.feeder,
        ok: false,
        code: 'MALFORMED',
        field: parsed.field,
        reason: parsed.reason,
      });
      m.ack();
      return;
    }
    const o = parsed.order;
    const k = key(o.participant, o.market, o.clientOrderId);
    let ack = this.answers.get(k);
    if (ack) this.stats.answeredAgain++;
    else {
      let pending = this.underway.get(k);
      if (!pending) {
        pending = this.live.submit(o.participant, {
          market: o.market,
          ...(o.session !== undefined ? { session: o.session } : {}),
          clientOrderId: o.clientOrderId,
          order: o.order,
        });
        this.underway.set(k, pending);
        void pending.finally(() => this.underway.delete(k)).catch(() => {});
      } else this.stats.answeredAgain++;
      // resolves once the order's events are durable (LiveMarkets waits for the log's commit)
      ack = await pending;
    }
    await this.answer({ msgId: orderMsgId(o), feeder: this.topology.feeder, ...ack });
    m.ack();
  }

  private async answer(r: BusResult): Promise<void> {
    await this.js.publish(this.topology.resultsSubject, new TextEncoder().encode(JSON.stringify(r)));
  }

  private fail(e: unknown): void {
    if (this.fatal) return;
    this.fatal = e instanceof Error ? e : new Error(String(e));
    this.onFatal(this.fatal);
  }

  /** The feeder's engine time and the last event of its log. */
  get lastSeq(): number {
    return this.live.lastSeq;
  }

  /**
   * Stops taking orders, lets those under way finish (each acknowledged once durable), publishes
   * the remaining events, and closes the log and the connection.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => {});
    await this.consuming?.catch(() => {});
    await Promise.allSettled([...this.inflight]);
    this.sessionsSub?.unsubscribe();
    // a gate waiting for its substation's clearing gives up: the restart's replay asks again
    this.port?.close();
    await this.live.stop();
    this.wakePublisher();
    await this.publisher;
    await this.repo.close();
    await this.nc.drain().catch(() => {});
    if (this.fatal) throw this.fatal;
  }
}

/**
 * The program with the feeder's exchange market added, and its real-time LEM following the
 * substation's price. Per interval T: the exchange's gate at T − 5 min sends the feeder's curve
 * and awaits the substation's clearing, which records T's price; the real-time LEM's gate at T
 * then clears with it at the source bus. The engine runs its tasks in time order and awaits each
 * gate, so a clearing that comes late holds the feeder's later steps rather than letting its LEM
 * clear at another price; the day-ahead LEM, whose gate is the day before, keeps the ISO's prices.
 */
function withExchange(
  base: (epochMs: number) => LiveProgram | Promise<LiveProgram>,
  feeder: string,
  port: SubstationPort,
): (epochMs: number) => Promise<LiveProgram> {
  return async (epochMs) => {
    const p = await base(epochMs);
    const prices = new SubstationPrices();
    const market = new ExchangeMarket({ id: 'exchange', feeder, product: PRODUCTS.ahead5, port, prices });
    for (const m of p.markets)
      if (m instanceof LemMarket && m.kind === 'lem-real-time') m.followSubstation(prices);
    return { ...p, markets: [...p.markets, market] };
  };
}

/** Records an order's first result: an acceptance, or a refusal that named a client order id. */
function recordAnswer(answers: Map<string, OrderAck>, e: EngineEvent): void {
  const p = e.payload as {
    market: string;
    clientOrderId?: string;
    orderId?: string;
    session?: string;
    code?: RejectCode;
    field?: string;
    reason?: string;
  };
  if (p.clientOrderId === undefined) return;
  const k = key(e.actor, p.market, p.clientOrderId);
  if (answers.has(k)) return;
  if (e.type === 'order.accepted')
    answers.set(k, { ok: true, orderId: p.orderId!, session: p.session!, seq: e.seq });
  // a refusal about an existing order (cancel, replace) is not an answer to a submission
  else if (p.orderId === undefined)
    answers.set(k, {
      ok: false,
      code: p.code!,
      field: p.field!,
      reason: p.reason!,
      clientOrderId: p.clientOrderId,
    });
}

/** The sequence number of the last event on the feeder's events subject, 0 when none. */
async function lastPublishedSeq(nc: NatsConnection, t: FeederTopology): Promise<number> {
  const jsm = await nc.jetstreamManager();
  try {
    const m = await jsm.streams.getMessage(t.outStream, { last_by_subj: t.eventsSubject });
    return m.json<{ seq: number }>().seq;
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw new BusError(`stream ${t.outStream}: cannot read its last event: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
