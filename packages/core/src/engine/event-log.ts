import { InvalidValueError } from '../errors/index.js';
import type { EngineEvent } from './event.js';

/**
 * The engine's append-only record of everything that happened, in sequence order. Appending
 * is synchronous (the event is in the log at once); `flush` resolves when every event appended
 * so far is durable, so an acknowledgement can wait for it (a journal commits many appends with
 * one flush). Every implementation passes `eventLogSuite`.
 */
export interface EventLog {
  /** the highest sequence number appended, 0 when empty */
  readonly lastSeq: number;
  /** appends an event whose seq is exactly lastSeq + 1 */
  append(event: EngineEvent): void;
  flush(): Promise<void>;
  /** the events with seq ≥ fromSeq, in order */
  read(fromSeq?: number): AsyncIterable<EngineEvent>;
  close(): Promise<void>;
}

/** Checks an append's sequence number against the log's last. */
export function checkNext(lastSeq: number, e: EngineEvent): void {
  if (e.seq !== lastSeq + 1)
    throw new InvalidValueError(`event log: event ${e.seq} (${e.type}) does not follow ${lastSeq}`, {
      details: { field: 'seq', lastSeq, seq: e.seq },
    });
}

/** The log in memory: the simulated day's default, and what a replay folds over. */
export class MemoryEventLog implements EventLog {
  private readonly list: EngineEvent[] = [];

  get lastSeq(): number {
    return this.list.length === 0 ? 0 : this.list[this.list.length - 1].seq;
  }

  /** every event, in order */
  get events(): readonly EngineEvent[] {
    return this.list;
  }

  append(event: EngineEvent): void {
    checkNext(this.lastSeq, event);
    this.list.push(event);
  }

  async flush(): Promise<void> {}

  async *read(fromSeq = 1): AsyncIterable<EngineEvent> {
    const first = this.list.length === 0 ? 1 : this.list[0].seq;
    for (let i = Math.max(0, fromSeq - first); i < this.list.length; i++) yield this.list[i];
  }

  async close(): Promise<void> {}
}
