import {
  Engine,
  type EngineEvent,
  type MarketService,
  type OrderAck,
  type OrderRequest,
  PHASE,
} from '@gridtier/core/engine';
import {
  type ClockMode,
  clockFrom,
  dayStartOf,
  MS_PER_DAY,
  realTime,
  type TimeSource,
} from '@gridtier/core/time';
import { StoreError } from '../errors.js';
import { type Repository, SqlEventLog } from '../store/index.js';
import { type ImbalancePrices, MeterSettlement, type ReportedReading } from './meter-settlement.js';
import { ReplayLog } from './replay-log.js';
import { Serial } from './serial.js';
import { SteppedClock } from './stepped-clock.js';

/** What the first start of a server fixes for good: replays must plan the same days. */
interface Epoch {
  startMs: number;
}

/** What a server runs: its markets, the built-in agents beside outside clients, its first day. */
export interface LiveProgram {
  markets: readonly MarketService[];
  /** adds the built-in agents; their ids tell their orders from outside clients' in a replay */
  agents?: (engine: Engine) => readonly string[];
  /** the first day whose sessions are planned (default: the day the server first started) */
  firstDayMs?: number;
  /** the DSO's prices for metered imbalances (default: a flat 0.30 $/kWh short, 0.04 $/kWh long) */
  imbalancePrices?: ImbalancePrices;
}

const FLAT_IMBALANCE: ImbalancePrices = () => ({ shortfallUsdPerKwh: 0.3, surplusUsdPerKwh: 0.04 });

export interface LiveOptions {
  repo: Repository;
  /** the program for the server's epoch (its first start, kept in the store): the same on every restart */
  program: (epochMs: number) => LiveProgram | Promise<LiveProgram>;
  /** `wall` or `xN` (accelerated from `startMs`) */
  clock: string;
  /** where an accelerated clock starts on the first start (default: now); a wall clock starts now */
  startMs?: number;
  /** real ms between two steps of the engine */
  stepMs?: number;
  source?: TimeSource;
  /** attaches what follows the events (read models) before the replay publishes them again */
  observe?: (engine: Engine) => void;
  /** the log failed: nothing more can be acknowledged */
  onFatal?: (error: Error) => void;
}

const COMMANDS = new Set([
  'order.accepted',
  'order.cancelled',
  'order.replaced',
  'order.rejected',
  'meter.reported',
]);

/**
 * The engine run live for a server: markets open and clear on a wall or accelerated clock,
 * outside clients' orders are taken between the engine's steps and acknowledged once the log
 * has committed them. On start, the stored log is replayed into a fresh engine — every order
 * put back between the same steps — and each event it publishes again is checked against the
 * stored one, so the engine comes back exactly as it was.
 */
export class LiveMarkets {
  private readonly serial = new Serial();
  private running = false;
  private loop: Promise<void> | undefined;
  private fatal: Error | undefined;

  private constructor(
    /** the markets the server runs */
    readonly markets: readonly MarketService[],
    readonly engine: Engine,
    private readonly settlement: MeterSettlement,
    private readonly clock: SteppedClock,
    private readonly log: ReplayLog,
    private readonly realClock: { now(): number },
    private readonly stepMs: number,
    private readonly source: TimeSource,
    private readonly onFatal: (error: Error) => void,
    /** the events replayed at start */
    readonly replayed: number,
  ) {}

  static async open(options: LiveOptions): Promise<LiveMarkets> {
    const source = options.source ?? realTime;
    const probe = clockFrom(options.clock, options.startMs ?? source.now(), source);
    if (probe.mode === 'simulated')
      throw new StoreError('a server runs on a wall or accelerated clock (wall, xN), not simulated', {
        details: { field: 'clock' },
      });
    const epoch = await options.repo.meta<Epoch>('epoch', { startMs: probe.now() });
    const durable = await SqlEventLog.open(options.repo);
    const stored: EngineEvent[] = [];
    for await (const e of durable.read()) stored.push(e);
    const log = new ReplayLog(durable, stored);
    const clock = new SteppedClock(epoch.startMs, probe.mode, probe.speed);
    const program = await options.program(epoch.startMs);
    const engine = new Engine({ clock, log });
    for (const m of program.markets) engine.addMarket(sessionsFrom(m, epoch.startMs));
    const settlement = new MeterSettlement(program.markets, program.imbalancePrices ?? FLAT_IMBALANCE);
    settlement.attach(engine);
    options.observe?.(engine);
    // agents join before the replay, so it meets every event they caused in the same order
    const internal = new Set(program.agents?.(engine) ?? []);
    planDays(engine, program.firstDayMs ?? dayStartOf(epoch.startMs));
    await replay(engine, clock, stored, internal, settlement);
    // a wall clock goes on from now; an accelerated one from where the log ends
    const resumeMs =
      stored.length === 0 ? epoch.startMs : Math.max(epoch.startMs, stored[stored.length - 1].t);
    const realClock =
      probe.mode === 'wall' ? probe : clockFrom(options.clock, Math.max(resumeMs, clock.now()), source);
    return new LiveMarkets(
      program.markets,
      engine,
      settlement,
      clock,
      log,
      realClock,
      options.stepMs ?? 20,
      source,
      options.onFatal ?? (() => {}),
      stored.length,
    );
  }

  /** how many times real time the clock runs */
  get speed(): number {
    return this.clock.speed;
  }

  get mode(): ClockMode {
    return this.clock.mode;
  }

  /** the engine's time: the instant of its last step */
  now(): number {
    return this.clock.now();
  }

  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** Calls `fn` with every new event (not those replayed), as it is appended. */
  onEvent(fn: (event: EngineEvent) => void): void {
    const before = this.log.onAppend;
    this.log.onAppend = (e) => {
      before(e);
      fn(e);
    };
  }

  /** Resolves once every event so far is durable. */
  durable(): Promise<void> {
    return this.log.flush();
  }

  /** Starts stepping the engine on the clock. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running && !this.fatal) {
        await this.serial.run(() => this.step());
        await this.source.sleep(this.stepMs);
      }
    })();
  }

  /** Runs the engine up to the clock's present: what is due opens, gates and clears. */
  async step(): Promise<void> {
    this.clock.set(this.realClock.now());
    await this.engine.run(this.clock.now());
    this.log.flush().catch((e) => this.fail(e));
  }

  submit(participant: string, request: OrderRequest): Promise<OrderAck> {
    return this.command(() => this.engine.submit(participant, request));
  }

  cancel(participant: string, market: string, orderId: string): Promise<OrderAck> {
    return this.command(() => this.engine.cancel(participant, market, orderId));
  }

  replace(participant: string, market: string, orderId: string, order: unknown): Promise<OrderAck> {
    return this.command(() => this.engine.replace(participant, market, orderId, order));
  }

  /**
   * Takes an oracle's meter readings: those not reported before are published and settle their
   * intervals; resolves with how many were new, once durable.
   */
  report(oracle: string, readings: readonly ReportedReading[]): Promise<number> {
    return this.command(() => this.settlement.report(this.engine, oracle, readings));
  }

  /** Runs a read against the engine between steps, so it sees a whole step or none of it. */
  read<T>(fn: (engine: Engine) => T): Promise<T> {
    return this.serial.run(() => fn(this.engine));
  }

  /** An order's answer once what it changed is durable: the acknowledgement never runs ahead of the log. */
  private async command<T>(fn: () => T): Promise<T> {
    if (this.fatal) throw this.fatal;
    const ack = await this.serial.run(fn);
    try {
      await this.log.flush();
    } catch (e) {
      this.fail(e);
      throw e;
    }
    return ack;
  }

  private fail(e: unknown): void {
    if (this.fatal) return;
    this.fatal = e instanceof Error ? e : new Error(String(e));
    this.running = false;
    this.onFatal(this.fatal);
  }

  /** Stops stepping, waits for the step under way, commits what is left and closes the log. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.serial.run(() => {});
    await this.log.close();
  }
}

/**
 * A market whose sessions start with the server: sessions whose gate had closed before the
 * server first started are not planned (there was no one to trade in them).
 */
function sessionsFrom(m: MarketService, epochMs: number): MarketService {
  return {
    id: m.id,
    kind: m.kind,
    product: m.product,
    ...(m.operator !== undefined ? { operator: m.operator } : {}),
    sessionsOfDay: (day) => m.sessionsOfDay(day).filter((w) => w.gateMs > epochMs),
    validate: (raw, p) => m.validate(raw, p),
    clear: (s, live, now) => m.clear(s, live, now),
    ...(m.accept ? { accept: m.accept.bind(m) } : {}),
    ...(m.cancel ? { cancel: m.cancel.bind(m) } : {}),
    ...(m.replace ? { replace: m.replace.bind(m) } : {}),
  };
}

/** Plans the first day and the next; each day's start plans the day after next. */
function planDays(engine: Engine, firstDayMs: number): void {
  engine.planDay(firstDayMs);
  const next = (dayMs: number) => {
    engine.planDay(dayMs);
    engine.at(dayMs, PHASE.publish, 'server', () => next(dayMs + MS_PER_DAY));
  };
  next(firstDayMs + MS_PER_DAY);
}

/** Publishes the stored events again, putting back each outside order between the same steps. */
async function replay(
  engine: Engine,
  clock: SteppedClock,
  stored: readonly EngineEvent[],
  internal: ReadonlySet<string>,
  settlement: MeterSettlement,
): Promise<void> {
  for (const e of stored) {
    if (engine.log.lastSeq >= e.seq) continue;
    clock.set(e.t);
    await engine.run(e.t);
    if (engine.log.lastSeq >= e.seq) continue;
    if (!COMMANDS.has(e.type) || internal.has(e.actor))
      throw new StoreError(
        `replay diverged at event ${e.seq} (${e.type}): the engine did not publish it again at ${new Date(e.t).toISOString()}`,
        { details: { seq: e.seq } },
      );
    putBack(engine, e, settlement);
    // let agents see what the order caused, as they did live
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function putBack(engine: Engine, e: EngineEvent, settlement: MeterSettlement): void {
  const p = e.payload as {
    readings?: ReportedReading[];
    market: string;
    session?: string;
    orderId?: string;
    clientOrderId?: string;
    order?: unknown;
  };
  switch (e.type) {
    case 'order.accepted':
      engine.submit(e.actor, {
        market: p.market,
        session: p.session,
        clientOrderId: p.clientOrderId,
        order: p.order,
      });
      break;
    case 'order.cancelled':
      engine.cancel(e.actor, p.market, p.orderId!);
      break;
    case 'order.replaced':
      engine.replace(e.actor, p.market, p.orderId!, p.order);
      break;
    case 'meter.reported':
      settlement.report(engine, e.actor, p.readings!);
      break;
    default:
      // a refusal changed nothing but the log
      engine.publish({ type: e.type, actor: e.actor, ...(e.to ? { to: e.to } : {}), payload: e.payload });
  }
}
