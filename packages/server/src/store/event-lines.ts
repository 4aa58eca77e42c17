import { type EngineEvent, eventToLine } from '@gridtier/core/engine';

/** where an event keeps its own journal line once made */
const LINE = Symbol('journal line');

/**
 * An event's journal line, made once: the journal stores it and the feed sends it (its message
 * is the same JSON with the subscriber's prevSeq added), so the payload is serialized once per
 * event rather than once for each (a third of what an order allocated on the server). The line
 * is kept on the event itself: a WeakMap keyed by short-lived events made every young-generation
 * collection walk its table.
 */
export function lineOf(e: EngineEvent): string {
  const held = e as EngineEvent & { [LINE]?: string };
  let line = held[LINE];
  if (line === undefined) {
    line = eventToLine(e);
    // not enumerable: the event compares and copies as it was published
    Object.defineProperty(held, LINE, { value: line });
  }
  return line;
}
