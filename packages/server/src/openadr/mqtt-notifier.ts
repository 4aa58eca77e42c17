import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import type { AdrRecord } from '../store/index.js';
import { MqttTopics, type OperationTopics } from './mqtt-topics.js';
import type { Operation } from './schemas.js';
import { type AdrListener, type AdrObject, present, type Vtn } from './vtn.js';

export interface MqttNotifierOptions {
  /** the broker the VTN publishes to, mqtt://HOST:PORT (mqtts:// with TLS) */
  url: string;
  /** the broker URL clients are told to connect to, when it is not `url` (a public name) */
  publicUrl?: string;
  /** the VTN's own credentials on the broker */
  username?: string;
  password?: string;
  /** put before every topic name (tests sharing a broker); the Definition's names otherwise */
  topicPrefix?: string;
}

/**
 * The spec's MQTT notifier binding: every create, update and delete is published (QoS 1, JSON,
 * the same `notification` a webhook gets) on the topics that name it: its kind's
 * (`events/create`), its program's (`programs/{id}/update`, `programs/{id}/events/delete`), its
 * ven's (`vens/{id}/update`, `vens/{id}/resources/create`), and for programs and events on the
 * topic of every ven whose client may read it (`vens/{id}/events/create`), with the targets that
 * client is not granted hidden, as on a read. Which client may subscribe to which topic is the
 * broker's to enforce (its ACL): a VEN should be let read only its own vens' topics.
 *
 * Publishing runs after the change, in order; `idle()` says when what was changed so far is
 * handed to the broker's client (which holds it while the broker is away and sends it on reconnect).
 */
export class MqttNotifier implements AdrListener {
  readonly topics: MqttTopics;
  readonly counts = { published: 0, failed: 0 };
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly vtn: Vtn,
    private readonly client: MqttClient,
    readonly options: MqttNotifierOptions,
  ) {
    this.topics = new MqttTopics(options.topicPrefix ?? '');
  }

  /** Connects to the broker (waiting for the first connection) and starts listening to the VTN. */
  static async start(vtn: Vtn, options: MqttNotifierOptions): Promise<MqttNotifier> {
    const client = connect(options.url, {
      clientId: `gridtier-vtn-${randomBytes(6).toString('hex')}`,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        client.end(true);
        reject(e);
      };
      client.once('connect', () => {
        client.off('error', fail);
        resolve();
      });
      client.once('error', fail);
    });
    // later errors are the client's to recover from (it reconnects); a failed publish is counted
    client.on('error', () => undefined);
    const notifier = new MqttNotifier(vtn, client, options);
    vtn.listen(notifier);
    return notifier;
  }

  /** The spec's mqttNotifierBindingObject, for GET /notifiers. */
  binding() {
    return {
      URIS: [this.options.publicUrl ?? this.options.url],
      serialization: 'JSON' as const,
      authentication: { method: 'ANONYMOUS' as const },
    };
  }

  changed(operation: Operation, record: AdrRecord): void {
    if (this.closed) return;
    this.queue = this.queue.then(() => this.dispatch(operation, record)).catch(() => undefined);
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** Stops: what is queued gets a moment to reach the broker, then the connection is cut. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await this.client.endAsync(true);
  }

  private async dispatch(op: Operation, record: AdrRecord): Promise<void> {
    const full = present(record);
    await this.send(this.topics.ofKind(record.kind), op, full);
    if (record.kind === 'PROGRAM') await this.send(this.topics.ofProgram(record.id), op, full);
    if (record.kind === 'EVENT' && record.programId !== undefined)
      await this.send(this.topics.ofProgramEvents(record.programId), op, full);
    if (record.kind === 'VEN') await this.send(this.topics.ofVen(record.id), op, full);
    if (record.kind === 'RESOURCE' && record.venId !== undefined)
      await this.send(this.topics.ofVenObjects(record.venId, 'RESOURCE'), op, full);
    if (record.kind === 'PROGRAM' || record.kind === 'EVENT') await this.toVens(op, record, record.kind);
  }

  /** A program or event on the topic of each ven whose client may read it, as that client reads it. */
  private async toVens(op: Operation, record: AdrRecord, kind: 'PROGRAM' | 'EVENT'): Promise<void> {
    const seenBy = new Map<string, AdrObject | undefined>();
    for (let skip = 0; ; skip += 1000) {
      const vens = await this.vtn.repo.adrList({ kind: 'VEN', skip, limit: 1000 });
      for (const ven of vens) {
        if (ven.clientId === undefined) continue;
        if (!seenBy.has(ven.clientId))
          seenBy.set(ven.clientId, await this.vtn.visibleTo(ven.clientId, record));
        const object = seenBy.get(ven.clientId);
        if (object !== undefined) await this.send(this.topics.ofVenObjects(ven.id, kind), op, object);
      }
      if (vens.length < 1000) return;
    }
  }

  private async send(topics: OperationTopics, op: Operation, object: AdrObject): Promise<void> {
    const topic = MqttTopics.of(topics, op);
    if (topic === undefined) return;
    try {
      await this.client.publishAsync(
        topic,
        JSON.stringify({ objectType: object.objectType, operation: op, object }),
        {
          qos: 1,
        },
      );
      this.counts.published++;
    } catch {
      this.counts.failed++;
    }
  }
}
