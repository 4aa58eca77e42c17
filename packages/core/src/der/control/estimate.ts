import { AGG_COUNT, AGG_DISABLED_S, AGG_LENGTH, AGG_REPORTING, type Fleet } from '../devices/index.js';

/**
 * Sums the leaf reports up a binary spanning tree: at level k, group g adds the subtree of group
 * g + 2^k. In deployment each addition is one message toward the root, so the fleet total costs
 * log2(groups) message hops; here it is the same arithmetic. When only a sample of groups
 * reported, the demand sums are scaled by devices / reporting devices (groups are shuffled
 * samples of the fleet, see buildFleet), while the fairness sums stay as ratios.
 */
export function reduceTree(fleet: Fleet, out: Float64Array): void {
  const p = fleet.partials;
  const groups = fleet.groupCount;
  for (let stride = 1; stride < groups; stride *= 2) {
    for (let g = 0; g + stride < groups; g += 2 * stride) {
      const a = g * AGG_LENGTH;
      const b = (g + stride) * AGG_LENGTH;
      for (let k = 0; k < AGG_LENGTH; k++) p[a + k] += p[b + k];
    }
  }
  const reporting = p[AGG_REPORTING];
  const scale = reporting > 0 ? fleet.size / reporting : 0;
  for (let k = 0; k < AGG_LENGTH; k++) {
    const isRatioSum = k >= AGG_DISABLED_S && k < AGG_REPORTING;
    out[k] = isRatioSum ? p[k] : p[k] * scale;
  }
  out[AGG_REPORTING] = reporting;
}

/** Mean disabled seconds per controlled tier, from an estimate: the fairness reference broadcast. */
export function meanDisabledS(estimate: Float64Array, tier: number): number {
  const count = estimate[AGG_COUNT + tier];
  return count > 0 ? estimate[AGG_DISABLED_S + tier] / count : 0;
}
