import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { BusError } from './errors.js';
import type { FeederTopology } from './topology.js';

export interface StreamOptions {
  /**
   * how long a message id is remembered, so that a retried publish is stored once (JetStream's
   * duplicate window; 2 minutes by default). Beyond it the engine's own idempotence by order id
   * still answers a retry with the first result.
   */
  duplicateWindowMs?: number;
}

/** NATS's "not found" answers (stream, consumer or message), told apart from real failures. */
export function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; api_error?: { code?: number }; message?: string };
  return (
    err?.api_error?.code === 404 ||
    err?.code === '404' ||
    /not found|no message found/i.test(err?.message ?? '')
  );
}

/** Makes a stream where it does not exist yet (an existing one is kept as it is). */
export async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subjects: string[],
  duplicateWindowMs: number,
): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (e) {
    if (!isNotFound(e)) throw new BusError(`stream ${name}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await jsm.streams.add({
      name,
      subjects,
      // kept on disk until deleted: the orders are the feeder's input, the events its output
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(duplicateWindowMs),
    });
  } catch (e) {
    // another process made it meanwhile: fine, it is the same stream
    if (!/already in use/i.test((e as Error).message))
      throw new BusError(`stream ${name}: cannot create it: ${(e as Error).message}`, { cause: e });
  }
}

/** Makes a feeder's two streams where they do not exist yet (an existing one is kept as it is). */
export async function ensureFeederStreams(
  jsm: JetStreamManager,
  topology: FeederTopology,
  options: StreamOptions = {},
): Promise<void> {
  const window = options.duplicateWindowMs ?? 120_000;
  await ensureStream(jsm, topology.ordersStream, [topology.ordersSubject], window);
  await ensureStream(jsm, topology.outStream, [topology.eventsSubject, topology.resultsSubject], window);
}

/**
 * A durable pull consumer with explicit acks, every message from the start (of `filterSubject`
 * alone, where given), redelivered after `ackWaitMs` without an ack. Its process is its only
 * reader, so on start what an earlier run had delivered and not acknowledged (it was killed) is
 * delivered again at once rather than after the ack wait: the consumer is made again from its ack
 * floor. Messages past the floor that were acknowledged come again too; the reader answers them
 * from what it kept.
 */
export async function ensureDurable(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  options: { filterSubject?: string; ackWaitMs?: number; maxAckPending?: number } = {},
): Promise<void> {
  const config = {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_ack_pending: options.maxAckPending ?? 2000,
    ...(options.filterSubject !== undefined ? { filter_subject: options.filterSubject } : {}),
  };
  let floor = 0;
  try {
    const info = await jsm.consumers.info(stream, name);
    if (info.num_ack_pending === 0) return;
    floor = info.ack_floor.stream_seq;
    await jsm.consumers.delete(stream, name);
  } catch (e) {
    if (!isNotFound(e))
      throw new BusError(`consumer ${name} of ${stream}: ${(e as Error).message}`, { cause: e });
  }
  await jsm.consumers.add(
    stream,
    floor === 0
      ? { ...config, deliver_policy: DeliverPolicy.All }
      : { ...config, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 },
  );
}

/** The feeder engine's durable consumer on its orders (see ensureDurable). */
export function ensureEngineConsumer(
  jsm: JetStreamManager,
  topology: FeederTopology,
  options: { ackWaitMs?: number; maxAckPending?: number } = {},
): Promise<void> {
  return ensureDurable(jsm, topology.ordersStream, topology.engineConsumer, options);
}

/** Deletes every stream whose name starts with `<prefix>_` (a test run's, a deployment's). */
export async function deleteStreams(jsm: JetStreamManager, prefix: string): Promise<string[]> {
  const deleted: string[] = [];
  for await (const s of jsm.streams.list()) {
    if (!s.config.name.startsWith(`${prefix}_`)) continue;
    await jsm.streams.delete(s.config.name);
    deleted.push(s.config.name);
  }
  return deleted;
}

/**
 * Every message stored on one subject of a stream, in order, as text, up to the stream's end as it
 * stands when called. Read through a short-lived pull consumer with one filter subject (ordered
 * consumers with subject lists need NATS 2.10; this works from 2.9 on).
 */
export async function readSubject(js: JetStreamClient, stream: string, subject: string): Promise<string[]> {
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  const total = info.state.subjects?.[subject] ?? 0;
  const out: string[] = [];
  if (total === 0) return out;
  const ci = await jsm.consumers.add(stream, {
    filter_subject: subject,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: nanos(60_000),
  });
  try {
    const consumer = await js.consumers.get(stream, ci.name);
    while (out.length < total) {
      const before = out.length;
      for await (const m of await consumer.fetch({
        max_messages: Math.min(5000, total - out.length),
        expires: 2000,
      }))
        out.push(m.string());
      if (out.length === before)
        throw new BusError(
          `stream ${stream}: ${subject} holds ${total} messages, ${out.length} could be read`,
        );
    }
  } finally {
    await jsm.consumers.delete(stream, ci.name).catch(() => {});
  }
  return out;
}
