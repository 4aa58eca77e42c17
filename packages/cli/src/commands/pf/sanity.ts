import type { PowerFlowResult } from '@gridtier/core/grid/powerflow';

/** Per-unit voltages outside this band are no operating point a distribution feeder can be at. */
export const PLAUSIBLE_PU: readonly [number, number] = [0.5, 1.5];

const some = (names: string[]) => `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;

/**
 * What a solved result says about its own inputs: buses without a voltage base (their per-unit
 * voltages read 0) and voltages no feeder can run at (a load of 1e12 kW converges, at 0 V).
 */
export function operatingPointWarnings(r: PowerFlowResult, file: string): string[] {
  const warnings: string[] = [];
  const energized = new Set(r.deenergizedBuses);
  const noBase = new Set<string>();
  const buses = new Set<string>();
  const low: string[] = [];
  const high: string[] = [];
  let lowest: { node: string; pu: number } | undefined;
  let highest: { node: string; pu: number } | undefined;
  for (const v of r.voltages) {
    if (energized.has(v.bus)) continue;
    buses.add(v.bus);
    if (v.vmagPu === 0) {
      if (v.vmagV > 0) noBase.add(v.bus);
      continue;
    }
    const node = `${v.bus}.${v.phase}`;
    if (v.vmagPu < PLAUSIBLE_PU[0]) low.push(node);
    if (v.vmagPu > PLAUSIBLE_PU[1]) high.push(node);
    if (!lowest || v.vmagPu < lowest.pu) lowest = { node, pu: v.vmagPu };
    if (!highest || v.vmagPu > highest.pu) highest = { node, pu: v.vmagPu };
  }
  if (noBase.size > 0)
    warnings.push(
      `${file}: ${noBase.size} of ${buses.size} buses have no voltage base, so their per-unit voltages read 0 (${some([...noBase])}); add "Set VoltageBases=[…]" and "CalcVoltageBases" to the script`,
    );
  if (low.length > 0)
    warnings.push(
      `${file}: implausible operating point: ${low.length} nodes below ${PLAUSIBLE_PU[0]} pu, lowest ${lowest!.pu.toPrecision(3)} pu at ${lowest!.node}; check the loads' and sources' ratings`,
    );
  if (high.length > 0)
    warnings.push(
      `${file}: implausible operating point: ${high.length} nodes above ${PLAUSIBLE_PU[1]} pu, highest ${highest!.pu.toPrecision(3)} pu at ${highest!.node}; check the voltage bases and sources`,
    );
  return warnings;
}
