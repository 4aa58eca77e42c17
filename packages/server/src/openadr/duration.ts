import { DURATION } from './schemas.js';

const DAY_MS = 86_400_000;

/**
 * An ISO 8601 duration in ms. Years and months have no fixed length; they count as 365 and 30
 * days, which is all an event's end (for ?active=true) needs. P9999Y, the spec's "infinity", is
 * returned as Infinity.
 */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new RangeError(`duration "${text}": not ISO 8601`);
  const [, sign, y, mo, n, dw, h, mi, s] = m;
  if (y === '9999') return Number.POSITIVE_INFINITY;
  const ms =
    Number(y ?? 0) * 365 * DAY_MS +
    Number(mo ?? 0) * 30 * DAY_MS +
    Number(n ?? 0) * (dw === 'W' ? 7 : 1) * DAY_MS +
    Number(h ?? 0) * 3_600_000 +
    Number(mi ?? 0) * 60_000 +
    Number(s ?? 0) * 1000;
  return sign === '-' ? -ms : ms;
}

interface Period {
  start?: string;
  duration?: string;
}

/**
 * When an event's last interval ends, or undefined when that cannot be known (no start, or an
 * open-ended duration): the event's intervalPeriod gives the default start and length, an
 * interval's own period overrides them, and intervals without a start follow one another.
 */
export function endOfEvent(body: Record<string, unknown>): number | undefined {
  const period = (body.intervalPeriod ?? {}) as Period;
  const intervals = (body.intervals ?? []) as { intervalPeriod?: Period }[];
  if (period.start === undefined || period.start.startsWith('0001-01-01')) return undefined;
  let at: number = Date.parse(period.start);
  const fallback = period.duration === undefined ? 0 : durationMs(period.duration);
  if (intervals.length === 0) {
    const total = body.duration === undefined ? fallback : durationMs(body.duration as string);
    return Number.isFinite(total) ? at + total : undefined;
  }
  let end = at;
  for (const i of intervals) {
    const start: number = i.intervalPeriod?.start === undefined ? at : Date.parse(i.intervalPeriod.start);
    const length =
      i.intervalPeriod?.duration === undefined ? fallback : durationMs(i.intervalPeriod.duration);
    if (!Number.isFinite(length)) return undefined;
    at = start + length;
    end = Math.max(end, at);
  }
  return end;
}
