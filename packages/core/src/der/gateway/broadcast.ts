import { z } from 'zod';
import { type ControlLaw, type ControlReport, meanDisabledS } from '../control/index.js';
import { AGG_LENGTH, CONTROLLED_TIER_COUNT, type ControlVector } from '../devices/index.js';
import { byteLength, readJson } from './wire.js';

/**
 * What the VPP broadcasts to its devices each round, as the seed's platform does: the estimate
 * ŝ(t) of its fleet and the goal g(t+1) for total enabled demand. Every device runs the same
 * control law on it and so arrives at the same switching probabilities without being told them.
 */
export interface Broadcast {
  round: number;
  goalKw: number;
  emergency: boolean;
  estimate: Float64Array;
}

const MAX_BROADCAST_BYTES = 4096;

const schema = z.strictObject({
  r: z.number().int().nonnegative(),
  g: z.number().finite(),
  em: z.union([z.literal(0), z.literal(1)]),
  e: z.array(z.number().finite()).length(AGG_LENGTH),
});

export function encodeBroadcast(b: Broadcast): string {
  const e = Array.from(b.estimate, (x) => Math.round(x * 1000) / 1000);
  return JSON.stringify({ r: b.round, g: Math.round(b.goalKw * 1000) / 1000, em: b.emergency ? 1 : 0, e });
}

/** Reads a broadcast; undefined for anything else (a device ignores what it cannot read). */
export function decodeBroadcast(payload: Uint8Array | string): Broadcast | undefined {
  if (byteLength(payload) > MAX_BROADCAST_BYTES) return undefined;
  const read = readJson(payload);
  if (!read.ok) return undefined;
  const r = schema.safeParse(read.json);
  if (!r.success) return undefined;
  return {
    round: r.data.r,
    goalKw: r.data.g,
    emergency: r.data.em === 1,
    estimate: Float64Array.from(r.data.e),
  };
}

/** A device's own control vector c(t, a) from a broadcast: the law, and the fairness reference. */
export function controlFromBroadcast(
  b: Broadcast,
  law: ControlLaw,
  out: ControlVector,
  report: ControlReport,
): void {
  // a goal of +∞ (no event) is sent as a large finite number; the law clips it either way
  law.compute(b.estimate, b.goalKw, b.emergency, out, report);
  for (let t = 0; t < CONTROLLED_TIER_COUNT; t++) out.meanDisabledS[t] = meanDisabledS(b.estimate, t);
}
