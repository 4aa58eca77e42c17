import { type CurveStep, clearSubstation, type ExchangeResult } from '@gridtier/core/market/exchange';
import type { FeederCurveMessage, SubstationPort } from '@gridtier/core/venues';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { connectBus } from './client.js';
import { BusError } from './errors.js';
import { ensureDurable, ensureStream, isNotFound } from './streams.js';
import { checkFeederName, DEFAULT_PREFIX } from './topology.js';

/**
 * Where a substation's exchange goes: the feeders' curves on `<prefix>.<substation>.curves`, each
 * interval's clearing on `<prefix>.<substation>.exchange.<interval start, ms>`, both kept in the
 * stream `<prefix>_<substation>_exchange`.
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
  get stream(): string {
    return `${this.prefix}_${this.substation}_exchange`;
  }
}

/** The substation's stream: the feeders' curves and every interval's clearing, kept until deleted. */
export async function ensureSubstationStream(jsm: JetStreamManager, t: SubstationTopology): Promise<void> {
  await ensureStream(jsm, t.stream, [t.curvesSubject, `${t.prefix}.${t.substation}.exchange.*`], 120_000);
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
}

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

/**
 * The substation's coordinator on the bus: it collects the feeders' curves per interval from
 * its durable consumer and, once every feeder has sent one, clears them with core's
 * `clearSubstation` under the transformer's limit and publishes the result on the interval's own
 * subject. A feeder's first curve for an interval counts (a later one is acknowledged and
 * dropped), so the clearing is a function of the stream and a restart clears the same; before
 * publishing, the coordinator looks for the interval's result in the stream and publishes it only
 * when absent, and acks the interval's curves only once the result is stored, so each interval is
 * cleared and published once.
 */
export class SubstationCoordinator {
  private readonly pending = new Map<number, { curves: Map<string, FeederCurve>; msgs: JsMsg[] }>();
  /** intervals cleared by this run: a late curve for one is acknowledged and dropped */
  private readonly cleared = new Set<number>();
  /** curves refused (not JSON, an unknown feeder, a step that cannot clear) */
  refused = 0;
  private consuming: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  /** intervals this run published (not those found published already) */
  published = 0;

  private constructor(
    readonly topology: SubstationTopology,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly o: CoordinatorOptions,
  ) {}

  static async start(o: CoordinatorOptions): Promise<SubstationCoordinator> {
    const topology = new SubstationTopology(o.prefix ?? DEFAULT_PREFIX, o.substation);
    o.feeders.forEach(checkFeederName);
    if (!(o.transformerKw >= 0))
      throw new BusError(`substation ${o.substation}: transformerKw must be ≥ 0`, {
        details: { field: 'transformerKw' },
      });
    const nc = await connectBus(o.url, `gridtier-substation-${o.substation}`);
    try {
      const jsm = await nc.jetstreamManager();
      await ensureSubstationStream(jsm, topology);
      await ensureDurable(jsm, topology.stream, 'coordinator', { filterSubject: topology.curvesSubject });
      const c = new SubstationCoordinator(topology, nc, nc.jetstream(), o);
      const consumer = await c.js.consumers.get(topology.stream, 'coordinator');
      c.messages = await consumer.consume({ max_messages: 256 });
      c.consuming = c.consume(c.messages);
      return c;
    } catch (e) {
      await nc.close().catch(() => {});
      throw e;
    }
  }

  private async consume(messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      const curve = this.parse(m);
      if (curve === undefined) {
        this.refused++;
        m.term();
        continue;
      }
      if (this.cleared.has(curve.intervalStartMs)) {
        m.ack();
        continue;
      }
      let p = this.pending.get(curve.intervalStartMs);
      if (!p) this.pending.set(curve.intervalStartMs, (p = { curves: new Map(), msgs: [] }));
      p.msgs.push(m);
      if (!p.curves.has(curve.feeder)) p.curves.set(curve.feeder, curve);
      if (p.curves.size === this.o.feeders.length) {
        this.pending.delete(curve.intervalStartMs);
        await this.clear(curve.intervalStartMs, p.curves);
        this.cleared.add(curve.intervalStartMs);
        for (const x of p.msgs) x.ack();
      }
    }
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

  private async clear(intervalStartMs: number, curves: Map<string, FeederCurve>): Promise<void> {
    const subject = this.topology.exchangeSubject(intervalStartMs);
    const jsm = await this.js.jetstreamManager();
    try {
      await jsm.streams.getMessage(this.topology.stream, { last_by_subj: subject });
      return; // cleared by an earlier run
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // the feeders in their configured order, so the clearing does not depend on arrival order
    const steps: CurveStep[] = this.o.feeders.flatMap((f) =>
      curves.get(f)!.steps.map((s) => ({ ...s, id: `${f}/${s.id}`, feeder: f })),
    );
    const result = clearSubstation({
      steps,
      isoUsdPerKwh: this.o.isoUsdPerKwh(intervalStartMs),
      transformerKw: this.o.transformerKw,
      intervalH: this.o.intervalH,
    });
    const clearing: SubstationClearing = { substation: this.topology.substation, intervalStartMs, ...result };
    await this.js.publish(subject, new TextEncoder().encode(JSON.stringify(clearing)), {
      msgID: `${this.topology.substation}/${intervalStartMs}`,
    });
    this.published++;
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => {});
    await this.consuming?.catch(() => {});
    await this.nc.drain().catch(() => {});
  }
}

/**
 * A feeder's way to its substation on the bus (core's SubstationPort): it publishes the feeder's
 * curve for an interval (once: the message id is feeder/interval) and waits for the interval's
 * clearing on the substation's subject. A clearing already stored is returned without sending
 * anything, so a feeder that replays its log after a restart gets the same clearing again. The
 * coordinator clears an interval once every feeder has sent its curve: until then (a feeder
 * down, the coordinator down) the feeder's gate waits; `close` ends the wait with an error.
 */
export class BusSubstationPort implements SubstationPort {
  private closed = false;
  private jsm: JetStreamManager | undefined;

  constructor(
    private readonly js: JetStreamClient,
    readonly topology: SubstationTopology,
    private readonly pollMs = 50,
  ) {}

  async exchange(curve: FeederCurveMessage): Promise<ExchangeResult> {
    const subject = this.topology.exchangeSubject(curve.intervalStartMs);
    let found = await this.stored(subject);
    if (found) return found;
    await publishCurve(this.js, this.topology, curve);
    for (;;) {
      if (this.closed)
        throw new BusError(
          `substation ${this.topology.substation}: stopped while waiting for the clearing of ${new Date(curve.intervalStartMs).toISOString()}`,
          { details: { field: 'substation' } },
        );
      found = await this.stored(subject);
      if (found) return found;
      await new Promise((r) => setTimeout(r, this.pollMs));
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

  close(): void {
    this.closed = true;
  }
}
