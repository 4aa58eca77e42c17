import { type CurveStep, clearSubstation, type ExchangeResult } from '@gridtier/core/market/exchange';
import type { FeederCurveMessage, SubstationPort } from '@gridtier/core/venues';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { connectBus } from './client.js';
import { BusError } from './errors.js';
import { ensureDurable, ensureStream, isNotFound } from './streams.js';
import { checkFeederName, DEFAULT_PREFIX } from './topology.js';

/**
 * Where a substation's exchange goes: the feeders' curves on `<prefix>.<substation>.curves`, each
 * interval's clearing on `<prefix>.<substation>.exchange.<interval start, ms>`, the refusal of a
 * curve that came after its interval had cleared on `<prefix>.<substation>.refused`, all kept in
 * the stream `<prefix>_<substation>_exchange`.
 */
export class SubstationTopology {
  readonly prefix: string;
  readonly substation: string;

  constructor(prefix: string, substation: string) {
    this.prefix = checkFeederName(prefix);
    this.substation = checkFeederName(substation);
  }
  get curvesSubject(): string {
    return `${this.prefix}.${this.substation}.curves`;
  }
  exchangeSubject(intervalStartMs: number): string {
    return `${this.prefix}.${this.substation}.exchange.${intervalStartMs}`;
  }
  get refusedSubject(): string {
    return `${this.prefix}.${this.substation}.refused`;
  }
  get stream(): string {
    return `${this.prefix}_${this.substation}_exchange`;
  }
  get subjects(): string[] {
    return [this.curvesSubject, `${this.prefix}.${this.substation}.exchange.*`, this.refusedSubject];
  }
}

/**
 * The substation's stream: the feeders' curves, every interval's clearing and the late curves'
 * refusals, kept until deleted. A stream made before refusals were kept gets their subject added.
 */
export async function ensureSubstationStream(jsm: JetStreamManager, t: SubstationTopology): Promise<void> {
  await ensureStream(jsm, t.stream, t.subjects, 120_000);
  const info = await jsm.streams.info(t.stream);
  const missing = t.subjects.filter((s) => !info.config.subjects.includes(s));
  if (missing.length > 0)
    await jsm.streams.update(t.stream, { ...info.config, subjects: [...info.config.subjects, ...missing] });
}

/** One feeder's curve at the substation for one interval, as its LEM publishes it. */
export interface FeederCurve {
  feeder: string;
  intervalStartMs: number;
  steps: { id: string; side: 'buy' | 'sell'; kw: number; usdPerKwh: number }[];
}

/** An interval's clearing as published. */
export interface SubstationClearing extends ExchangeResult {
  substation: string;
  intervalStartMs: number;
  /** the feeders whose curve had not come when the coordinator stopped waiting: they exchanged nothing */
  missing: string[];
}

/** A feeder's curve refused by name: its interval had cleared without it. */
export interface CurveRefusal {
  substation: string;
  feeder: string;
  intervalStartMs: number;
  reason: string;
}

/** How long the coordinator waits, from an interval's first curve, for the others by default. */
export const DEFAULT_CURVE_TIMEOUT_MS = 10_000;

export interface CoordinatorOptions {
  url: string;
  prefix?: string;
  substation: string;
  /** the feeders under the substation: an interval clears once each has sent its curve */
  feeders: readonly string[];
  transformerKw: number;
  intervalH: number;
  /** the ISO's price at the substation for an interval, $/kWh */
  isoUsdPerKwh: (intervalStartMs: number) => number;
  /**
   * ms from an interval's first curve after which it clears with the curves received, naming the
   * feeders whose curve had not come (default DEFAULT_CURVE_TIMEOUT_MS): a feeder that is down
   * does not hold its substation's exchange
   */
  curveTimeoutMs?: number;
  /** told of each late curve refused (the coordinator's operator log) */
  onRefusal?: (refusal: CurveRefusal) => void;
}

/** Publishes a feeder's curve; the message id feeder/interval keeps a retry once. */
export async function publishCurve(
  js: JetStreamClient,
  t: SubstationTopology,
  curve: FeederCurve,
): Promise<void> {
  await js.publish(t.curvesSubject, new TextEncoder().encode(JSON.stringify(curve)), {
    msgID: `${curve.feeder}/${curve.intervalStartMs}`,
  });
}

/** An interval whose curves are being collected. */
interface Pending {
  curves: Map<string, FeederCurve>;
  msgs: JsMsg[];
  timer: ReturnType<typeof setTimeout>;
}

/** Intervals cleared this far back from the newest are forgotten here (the stream still has them). */
const REMEMBER_MS = 86_400_000;

/**
 * The substation's coordinator on the bus: it collects the feeders' curves per interval from
 * its durable consumer and, once every feeder has sent one or `curveTimeoutMs` after the
 * interval's first curve, clears those received with core's `clearSubstation` under the
 * transformer's limit and publishes the result, naming the feeders still missing, on the
 * interval's own subject. A feeder's first curve counts (a later one is acknowledged and
 * dropped); a curve from a feeder the clearing names missing is refused by name on the refused
 * subject. Before publishing, the coordinator looks for the interval's result in the stream and
 * publishes it only when absent, and acks the interval's curves only once the result is stored,
 * so each interval is cleared and published once, and what the feeders read is that record: a
 * feeder replaying its log gets the same clearing whatever the timing was live. Messages and
 * timeouts are handled one at a time, in the order they come.
 */
export class SubstationCoordinator {
  private readonly pending = new Map<number, Pending>();
  /** intervals cleared (by this run, or found in the stream), with the feeders each left out */
  private readonly cleared = new Map<number, readonly string[]>();
  /** curves refused (not JSON, an unknown feeder, a step that cannot clear) */
  refused = 0;
  /** curves refused by name because their interval had cleared without them */
  late = 0;
  private consuming: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  /** intervals this run published (not those found published already) */
  published = 0;
  /** of which, cleared at the curve timeout without every feeder's curve */
  timedOut = 0;
  /** one message or timeout at a time */
  private turn: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    readonly topology: SubstationTopology,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly o: CoordinatorOptions,
    private readonly curveTimeoutMs: number,
  ) {}

  static async start(o: CoordinatorOptions): Promise<SubstationCoordinator> {
    const topology = new SubstationTopology(o.prefix ?? DEFAULT_PREFIX, o.substation);
    o.feeders.forEach(checkFeederName);
    if (!(o.transformerKw >= 0))
      throw new BusError(`substation ${o.substation}: transformerKw must be ≥ 0`, {
        details: { field: 'transformerKw' },
      });
    const curveTimeoutMs = o.curveTimeoutMs ?? DEFAULT_CURVE_TIMEOUT_MS;
    if (!(curveTimeoutMs > 0 && Number.isFinite(curveTimeoutMs)))
      throw new BusError(`substation ${o.substation}: curveTimeoutMs must be a finite time > 0`, {
        details: { field: 'curveTimeoutMs' },
      });
    const nc = await connectBus(o.url, `gridtier-substation-${o.substation}`);
    try {
      const jsm = await nc.jetstreamManager();
      await ensureSubstationStream(jsm, topology);
      await ensureDurable(jsm, topology.stream, 'coordinator', { filterSubject: topology.curvesSubject });
      const c = new SubstationCoordinator(topology, nc, nc.jetstream(), o, curveTimeoutMs);
      const consumer = await c.js.consumers.get(topology.stream, 'coordinator');
      c.messages = await consumer.consume({ max_messages: 256 });
      c.consuming = c.consume(c.messages);
      return c;
    } catch (e) {
      await nc.close().catch(() => {});
      throw e;
    }
  }

  /** Runs `fn` after every message and timeout before it. */
  private inTurn(fn: () => Promise<void>): Promise<void> {
    const run = this.turn.then(fn);
    this.turn = run.catch(() => {});
    return run;
  }

  private async consume(messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) await this.inTurn(() => this.take(m));
  }

  private async take(m: JsMsg): Promise<void> {
    const curve = this.parse(m);
    if (curve === undefined) {
      this.refused++;
      m.term();
      return;
    }
    const interval = curve.intervalStartMs;
    const p = this.pending.get(interval);
    if (p === undefined) {
      const missing = this.cleared.get(interval) ?? (await this.storedMissing(interval));
      if (missing !== undefined) {
        // cleared: a feeder it left out is told by name; a curve that counted came again
        if (missing.includes(curve.feeder)) await this.refuse(curve.feeder, interval);
        m.ack();
        return;
      }
    }
    let q = p;
    if (q === undefined) {
      const timer = setTimeout(() => void this.inTurn(() => this.expire(interval)), this.curveTimeoutMs);
      this.pending.set(interval, (q = { curves: new Map(), msgs: [], timer }));
    }
    q.msgs.push(m);
    if (!q.curves.has(curve.feeder)) q.curves.set(curve.feeder, curve);
    if (q.curves.size === this.o.feeders.length) await this.settle(interval, q);
  }

  /** The curve timeout of an interval still collecting: it clears with the curves received. */
  private async expire(interval: number): Promise<void> {
    const p = this.pending.get(interval);
    if (p === undefined || this.stopped) return;
    try {
      await this.settle(interval, p);
    } catch {
      // the bus failed meanwhile: try again after another wait (the curves stay unacknowledged)
      if (!this.stopped) p.timer = setTimeout(() => void this.inTurn(() => this.expire(interval)), 1000);
    }
  }

  /** Clears an interval with the curves it has, acks them, refuses those of feeders left out. */
  private async settle(interval: number, p: Pending): Promise<void> {
    clearTimeout(p.timer);
    const missing = await this.clear(interval, p.curves);
    this.pending.delete(interval);
    this.remember(interval, missing);
    // an earlier run's record may have left out a feeder whose curve this run holds
    for (const f of p.curves.keys()) if (missing.includes(f)) await this.refuse(f, interval);
    for (const x of p.msgs) x.ack();
  }

  private remember(interval: number, missing: readonly string[]): void {
    this.cleared.set(interval, missing);
    for (const [t] of this.cleared) {
      if (t >= interval - REMEMBER_MS) break;
      this.cleared.delete(t);
    }
  }

  /**
   * Publishes a late curve's refusal, naming its feeder (once: the message id is
   * refused/feeder/interval; the curve itself has feeder/interval in the same stream).
   */
  private async refuse(feeder: string, intervalStartMs: number): Promise<void> {
    const refusal: CurveRefusal = {
      substation: this.topology.substation,
      feeder,
      intervalStartMs,
      reason: `the curve of feeder ${feeder} for ${new Date(intervalStartMs).toISOString()} came after the interval had cleared without it`,
    };
    await this.js.publish(this.topology.refusedSubject, new TextEncoder().encode(JSON.stringify(refusal)), {
      msgID: `refused/${feeder}/${intervalStartMs}`,
    });
    this.late++;
    this.o.onRefusal?.(refusal);
  }

  /** A curve from one of the substation's feeders whose steps clear, or undefined. */
  private parse(m: JsMsg): FeederCurve | undefined {
    try {
      const c = m.json<FeederCurve>();
      if (
        !this.o.feeders.includes(c.feeder) ||
        !Number.isSafeInteger(c.intervalStartMs) ||
        !Array.isArray(c.steps)
      )
        return undefined;
      // the same checks the clearing makes, on this curve alone
      clearSubstation({
        steps: c.steps.map((s) => ({ ...s, feeder: c.feeder })),
        isoUsdPerKwh: 0,
        transformerKw: 0,
        intervalH: 1,
      });
      return c;
    } catch {
      return undefined;
    }
  }

  /** The feeders an interval's stored clearing left out, or undefined when none is stored. */
  private async storedMissing(intervalStartMs: number): Promise<readonly string[] | undefined> {
    const jsm = await this.js.jetstreamManager();
    try {
      const m = await jsm.streams.getMessage(this.topology.stream, {
        last_by_subj: this.topology.exchangeSubject(intervalStartMs),
      });
      // a clearing published before feeders could be left out names none
      const missing = m.json<Partial<SubstationClearing>>().missing ?? [];
      this.remember(intervalStartMs, missing);
      return missing;
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return undefined;
    }
  }

  /** Clears and publishes an interval unless the stream holds it; the feeders it leaves out. */
  private async clear(intervalStartMs: number, curves: Map<string, FeederCurve>): Promise<readonly string[]> {
    const stored = await this.storedMissing(intervalStartMs);
    if (stored !== undefined) return stored; // cleared by an earlier run
    // the feeders in their configured order, so the clearing does not depend on arrival order
    const present = this.o.feeders.filter((f) => curves.has(f));
    const missing = this.o.feeders.filter((f) => !curves.has(f));
    const steps: CurveStep[] = present.flatMap((f) =>
      curves.get(f)!.steps.map((s) => ({ ...s, id: `${f}/${s.id}`, feeder: f })),
    );
    const result = clearSubstation({
      steps,
      isoUsdPerKwh: this.o.isoUsdPerKwh(intervalStartMs),
      transformerKw: this.o.transformerKw,
      intervalH: this.o.intervalH,
    });
    const clearing: SubstationClearing = {
      substation: this.topology.substation,
      intervalStartMs,
      ...result,
      missing,
    };
    await this.js.publish(
      this.topology.exchangeSubject(intervalStartMs),
      new TextEncoder().encode(JSON.stringify(clearing)),
      { msgID: `${this.topology.substation}/${intervalStartMs}` },
    );
    this.published++;
    if (missing.length > 0) this.timedOut++;
    return missing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.messages?.close().catch(() => {});
    await this.consuming?.catch(() => {});
    await this.turn;
    await this.nc.drain().catch(() => {});
  }
}

/**
 * A feeder's way to its substation on the bus (core's SubstationPort): it publishes the feeder's
 * curve for an interval (once: the message id is feeder/interval) and waits for the interval's
 * clearing on the substation's subject. A clearing already stored is returned without sending
 * anything, so a feeder that replays its log after a restart gets the same clearing again, and a
 * feeder that comes to a gate after the coordinator stopped waiting for it gets the clearing that
 * names it missing. The coordinator clears an interval once every feeder has sent its curve or
 * its curve timeout has passed: while it is down the feeder's gate waits; `close` ends the wait
 * with an error.
 */
export class BusSubstationPort implements SubstationPort {
  private closed = false;
  private jsm: JetStreamManager | undefined;
  private readonly js: JetStreamClient;
  /** wakes the gates waiting now (close) */
  private readonly waiting = new Set<() => void>();

  /**
   * @param pollMs how often a waiting gate reads the stream anyway; the clearing's own message on
   * the interval's subject wakes it at once
   */
  constructor(
    private readonly nc: NatsConnection,
    readonly topology: SubstationTopology,
    private readonly pollMs = 1000,
  ) {
    this.js = nc.jetstream();
  }

  async exchange(curve: FeederCurveMessage): Promise<SubstationClearing> {
    const subject = this.topology.exchangeSubject(curve.intervalStartMs);
    let found = await this.stored(subject);
    if (found) return found;
    // subscribed before the curve goes, so the clearing's message cannot pass unseen
    let wake: () => void = () => {};
    let signalled = false;
    const sub = this.nc.subscribe(subject, {
      callback: () => {
        signalled = true;
        wake();
      },
    });
    try {
      await publishCurve(this.js, this.topology, curve);
      for (;;) {
        if (this.closed)
          throw new BusError(
            `substation ${this.topology.substation}: stopped while waiting for the clearing of ${new Date(curve.intervalStartMs).toISOString()}`,
            { details: { field: 'substation' } },
          );
        // what counts is the stored record, not the message that announced it
        found = await this.stored(subject);
        if (found) return found;
        if (!signalled) {
          let done: () => void = () => {};
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => done(), this.pollMs);
            done = () => {
              clearTimeout(timer);
              resolve();
            };
            wake = done;
            this.waiting.add(done);
          });
          this.waiting.delete(done);
        }
        signalled = false;
      }
    } finally {
      sub.unsubscribe();
    }
  }

  private async stored(subject: string): Promise<SubstationClearing | undefined> {
    this.jsm ??= await this.js.jetstreamManager();
    try {
      return (
        await this.jsm.streams.getMessage(this.topology.stream, { last_by_subj: subject })
      ).json<SubstationClearing>();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Ends every wait with an error (the engine is stopping; a restart's replay asks again). */
  close(): void {
    this.closed = true;
    for (const w of this.waiting) w();
  }
}
