import { z } from 'zod';
import { SLOTS_PER_TIER } from '../devices/index.js';
import { byteLength, readJson } from './wire.js';

/** Largest telemetry payload accepted, bytes: a report is about 60 bytes. */
export const MAX_TELEMETRY_BYTES = 512;

/**
 * One device report s(t, a) after a round: which slot of the state vector its demand sits in
 * (EF by flexible class 0–3, ER 4, DF by class 5–8, DR 9, the layout of der/devices), the demand,
 * and its cumulative disabled time (the fairness sums). `q` increases with every message the
 * device sends, so a replayed or reordered report is recognised; `r` is the round it answers.
 */
export interface Telemetry {
  q: number;
  r: number;
  s: number;
  kw: number;
  ds: number;
}

const schema = z.strictObject({
  q: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  r: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  s: z
    .number()
    .int()
    .min(0)
    .max(SLOTS_PER_TIER - 1),
  kw: z.number().finite().min(0).max(1000),
  ds: z.number().finite().min(0).max(1e9),
});

export type TelemetryParse =
  | { ok: true; value: Telemetry }
  | { ok: false; reason: 'oversized' | 'malformed'; detail: string };

/** Parses a payload; anything but one well-formed report is refused with the reason. */
export function parseTelemetry(payload: Uint8Array | string): TelemetryParse {
  const size = byteLength(payload);
  if (size > MAX_TELEMETRY_BYTES)
    return { ok: false, reason: 'oversized', detail: `${size} bytes, at most ${MAX_TELEMETRY_BYTES}` };
  const read = readJson(payload);
  if (!read.ok) return { ok: false, reason: 'malformed', detail: `not JSON: ${read.error}` };
  const r = schema.safeParse(read.json);
  if (!r.success)
    return {
      ok: false,
      reason: 'malformed',
      detail: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  return { ok: true, value: r.data };
}

export const encodeTelemetry = (t: Telemetry): string =>
  `{"q":${t.q},"r":${t.r},"s":${t.s},"kw":${Math.round(t.kw * 1000) / 1000},"ds":${Math.round(t.ds)}}`;
