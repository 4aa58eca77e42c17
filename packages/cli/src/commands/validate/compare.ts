import { readFileSync } from 'node:fs';
import type { PowerFlowResult } from '@gridtier/core/grid/powerflow';

/** Rows of a small reference CSV as records keyed by its header. */
export function readCsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** |Δangle| in degrees, wrapped into [0, 180]. */
export const wrapDeg = (d: number) => Math.abs(((((d + 180) % 360) + 360) % 360) - 180);

export interface VoltageComparison {
  dv: number;
  da: number;
  missing: number;
  n: number;
  /** the node with the largest |ΔV|, as bus.phase */
  worst: string;
}

/** Largest |ΔV| (pu, column vKey) and |Δangle| over the reference's line-to-neutral nodes. */
export function compareLn(
  r: PowerFlowResult,
  ref: Record<string, string>[],
  vKey: string,
): VoltageComparison {
  const mine = new Map(r.voltages.map((v) => [`${v.bus}.${v.phase}`, v]));
  let dv = 0;
  let da = 0;
  let missing = 0;
  let worst = '';
  for (const row of ref) {
    const key = `${row.bus.toLowerCase()}.${row.phase}`;
    const v = mine.get(key);
    if (!v) {
      missing++;
      continue;
    }
    const d = Math.abs(v.vmagPu - Number(row[vKey]));
    if (d > dv) {
      dv = d;
      worst = key;
    }
    da = Math.max(da, wrapDeg(v.angleDeg - Number(row.angle_deg)));
  }
  return { dv, da, missing, n: ref.length, worst };
}
