import { type EngineEvent, eventToLine } from '@gridtier/core/engine';

const lines = new WeakMap<EngineEvent, string>();

/**
 * An event's journal line, made once: the journal stores it and the feed sends it (its message
 * is the same JSON with the subscriber's prevSeq added), so the payload is serialized once per
 * event rather than once for each (a third of what an order allocated on the server).
 */
export function lineOf(e: EngineEvent): string {
  let line = lines.get(e);
  if (line === undefined) {
    line = eventToLine(e);
    lines.set(e, line);
  }
  return line;
}
