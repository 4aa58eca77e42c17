import { InvalidValueError } from '../errors/index.js';

/**
 * One thing that happened, stamped by the engine: `seq` increases by one per event over the
 * whole engine, `t` is the engine clock's time (ms since the epoch; simulated time for a
 * simulated day). `actor` is who caused it (a market, an agent, the world, the engine). An
 * event without `to` is public; one with `to` is private to those participants (and to the
 * aggregator each has entrusted with its data). Payloads are plain JSON values, so an event
 * written to a journal and read back is the same event.
 */
export interface EngineEvent<P = unknown> {
  seq: number;
  t: number;
  type: string;
  actor: string;
  to?: readonly string[];
  payload: P;
}

/** What an emitter supplies; the engine adds `seq` and `t`. */
export type EventDraft<P = unknown> = Omit<EngineEvent<P>, 'seq' | 't'>;

/** One event as one line of a JSON-lines journal; the time is written as an ISO 8601 instant. */
export function eventToLine(e: EngineEvent): string {
  const head = `{"seq":${e.seq},"time":"${new Date(e.t).toISOString()}","type":${JSON.stringify(e.type)},"actor":${JSON.stringify(e.actor)}`;
  const to = e.to ? `,"to":${JSON.stringify(e.to)}` : '';
  return `${head}${to},"payload":${JSON.stringify(e.payload)}}`;
}

/** Parses one journal line; a refusal names the source and line and the field at fault. */
export function lineToEvent(line: string, source: string, lineNo: number): EngineEvent {
  const where = { location: { file: source, line: lineNo } };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    throw new InvalidValueError(`not a JSON object: ${(cause as Error).message}`, { ...where, cause });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidValueError('an event must be a JSON object', where);
  const o = raw as Record<string, unknown>;
  const field = (name: string, why: string) =>
    new InvalidValueError(`${name}: ${why}`, { ...where, details: { field: name } });
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) throw field('seq', 'must be a whole number ≥ 1');
  const t = typeof o.time === 'string' ? Date.parse(o.time) : Number.NaN;
  if (!Number.isFinite(t)) throw field('time', 'must be an ISO 8601 instant');
  if (typeof o.type !== 'string' || o.type === '') throw field('type', 'must be a non-empty string');
  if (typeof o.actor !== 'string') throw field('actor', 'must be a string');
  if (o.to !== undefined && !(Array.isArray(o.to) && o.to.every((x) => typeof x === 'string')))
    throw field('to', 'must be a list of participant ids');
  if (!('payload' in o)) throw field('payload', 'is missing');
  const e: EngineEvent = { seq: o.seq as number, t, type: o.type, actor: o.actor, payload: o.payload };
  if (o.to !== undefined) e.to = o.to as string[];
  return e;
}
