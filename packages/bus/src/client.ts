import type { EngineEvent, SessionInfo } from '@gridtier/core/engine';
import { lineToEvent } from '@gridtier/core/engine';
import { connect, type JetStreamClient, type NatsConnection, type PubAck } from 'nats';
import { BusError } from './errors.js';
import { type BusOrder, type BusResult, orderMsgId } from './protocol.js';
import { ensureFeederStreams, readSubject, type StreamOptions } from './streams.js';
import { DEFAULT_PREFIX, FeederTopology } from './topology.js';

/** Connects to a NATS server; an unreachable one is a BusError naming the URL. */
export async function connectBus(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  } catch (cause) {
    throw new BusError(`--bus ${url}: cannot connect to NATS (${(cause as Error).message})`, { cause });
  }
}

export interface SubmitOptions {
  /** how many times a publish is tried before giving up (default 5) */
  attempts?: number;
  /** ms to wait for JetStream's acknowledgement of one attempt (default 5000) */
  timeoutMs?: number;
}

/**
 * A client of feeder engines over the bus. `submit` returns once JetStream has stored the order
 * (its PubAck): the order is then the feeder's input for good, whether or not its engine runs.
 * A publish that times out is retried with the same message id, so the stream keeps it once.
 */
export class BusClient {
  private readonly topologies = new Map<string, FeederTopology>();

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly prefix: string,
  ) {}

  static async connect(url: string, prefix = DEFAULT_PREFIX): Promise<BusClient> {
    const nc = await connectBus(url, 'gridtier-client');
    return new BusClient(nc, nc.jetstream(), prefix);
  }

  topology(feeder: string): FeederTopology {
    let t = this.topologies.get(feeder);
    if (!t) this.topologies.set(feeder, (t = new FeederTopology(this.prefix, feeder)));
    return t;
  }

  /** Makes a feeder's streams if they do not exist (its engine does so too at start). */
  async ensureFeeder(feeder: string, options: StreamOptions = {}): Promise<void> {
    await ensureFeederStreams(await this.nc.jetstreamManager(), this.topology(feeder), options);
  }

  /** Publishes an order; resolves with JetStream's acknowledgement (`duplicate` when stored before). */
  async submit(feeder: string, order: BusOrder, options: SubmitOptions = {}): Promise<PubAck> {
    const subject = this.topology(feeder).ordersSubject;
    const data = new TextEncoder().encode(JSON.stringify(order));
    const msgID = orderMsgId(order);
    const attempts = options.attempts ?? 5;
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      try {
        return await this.js.publish(subject, data, { msgID, timeout: options.timeoutMs ?? 5000 });
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 100 * 2 ** i));
      }
    }
    throw new BusError(`order ${msgId(order)} for ${feeder}: not stored after ${attempts} attempts`, {
      cause: last,
    });
  }

  /** The sessions a feeder's engine has open or planned now (request/reply to the running engine). */
  async sessions(feeder: string, market?: string, timeoutMs = 5000): Promise<SessionInfo[]> {
    const m = await this.nc.request(
      this.topology(feeder).sessionsSubject,
      new TextEncoder().encode(JSON.stringify(market === undefined ? {} : { market })),
      { timeout: timeoutMs },
    );
    return m.json<SessionInfo[]>();
  }

  /** Every event a feeder's engine has published so far, in order. */
  async events(feeder: string): Promise<EngineEvent[]> {
    const t = this.topology(feeder);
    const lines = await readSubject(this.js, t.outStream, t.eventsSubject);
    return lines.map((l, i) => lineToEvent(l, t.eventsSubject, i + 1));
  }

  /** Every result a feeder's engine has published so far, in order (a redelivery's result again). */
  async results(feeder: string): Promise<BusResult[]> {
    const t = this.topology(feeder);
    return (await readSubject(this.js, t.outStream, t.resultsSubject)).map((l) => JSON.parse(l));
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

const msgId = orderMsgId;
