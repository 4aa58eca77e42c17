import type { DaySummary, DayView } from '@gridtier/core/sim';

/** What the day's report page carries: the summary (as summary.json) and the view folded from the log. */
export interface DayData {
  summary: DaySummary;
  view: DayView;
}

/** The element id of the JSON the report page embeds. */
export const DAY_DATA_ID = 'gridtier-day';

/** Mean of the finite values, null when there are none. */
export function meanOf(xs: readonly (number | null | undefined)[]): number | null {
  let s = 0;
  let n = 0;
  for (const x of xs)
    if (x !== null && x !== undefined && Number.isFinite(x)) {
      s += x;
      n++;
    }
  return n > 0 ? s / n : null;
}

/** Smallest and largest finite value of nested arrays, [NaN, NaN] when none. */
export function extent(xs: Iterable<number | null | undefined>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs)
    if (x !== null && x !== undefined && Number.isFinite(x)) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** Each bus's indices into the DLMP node list ("bus.phase"), per phase of the bus. */
export function busNodeIndex(
  buses: readonly { name: string; phases: number[] }[],
  nodes: readonly string[],
): (number | undefined)[][] {
  const at = new Map(nodes.map((n, i) => [n.toLowerCase(), i]));
  return buses.map((b) => b.phases.map((p) => at.get(`${b.name.toLowerCase()}.${p}`)));
}
