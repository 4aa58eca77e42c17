import { type EngineEvent, type EventLog, eventToLine } from '@gridtier/core/engine';
import { StoreError } from '../errors.js';

/** JSON with every object's keys sorted: a re-parsed order may list its fields in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The log an engine is rebuilt on. While the engine replays, each event it publishes is checked
 * against the stored event of the same sequence number (the same fields and values), instead of being written
 * again; a difference stops the replay (the engine did not come back to the state it had). The
 * first event past the stored ones is written to the durable log, and from then on every one.
 */
export class ReplayLog implements EventLog {
  private seq = 0;
  /** called with every event appended past the stored ones */
  onAppend: (event: EngineEvent) => void = () => {};

  constructor(
    private readonly durable: EventLog,
    private readonly stored: readonly EngineEvent[],
  ) {
    const last = stored.length === 0 ? 0 : stored[stored.length - 1].seq;
    if (last !== durable.lastSeq || stored.some((e, i) => e.seq !== i + 1))
      throw new StoreError(`replay: the stored events are not the log's 1…${durable.lastSeq}`);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** whether the engine has published every stored event again */
  get caughtUp(): boolean {
    return this.seq >= this.stored.length;
  }

  append(event: EngineEvent): void {
    if (event.seq <= this.stored.length) {
      const want = eventToLine(this.stored[event.seq - 1]);
      const got = eventToLine(event);
      if (
        event.seq !== this.seq + 1 ||
        (want !== got && canonical(this.stored[event.seq - 1]) !== canonical(event))
      )
        throw new StoreError(`replay diverged at event ${event.seq}: stored ${want}, replayed ${got}`, {
          details: { seq: event.seq },
        });
      this.seq = event.seq;
    } else {
      this.durable.append(event);
      this.seq = event.seq;
      this.onAppend(event);
    }
  }

  flush(): Promise<void> {
    return this.durable.flush();
  }

  read(fromSeq?: number): AsyncIterable<EngineEvent> {
    return this.durable.read(fromSeq);
  }

  close(): Promise<void> {
    return this.durable.close();
  }
}
