import { InvalidValueError } from '../../errors/index.js';

/** One virtual distribution grid's request for line capacity in one direction. */
export interface CapacityRequest {
  vdg: string;
  /** the VDG's service class: 1 is served first, then 2, … */
  priority: number;
  /** what the VDG pays per kWh of capacity it is granted; ranks requests within a class */
  bidUsdPerKwh: number;
  /** capacity asked for, kW (≥ 0) */
  kw: number;
}

function check(requests: readonly CapacityRequest[], capacityKw: number): void {
  const bad = (field: string, why: string) =>
    new InvalidValueError(`line capacity: ${field}: ${why}`, { details: { field } });
  if (!(capacityKw >= 0) || !Number.isFinite(capacityKw))
    throw bad('capacityKw', 'must be a finite power ≥ 0');
  const seen = new Set<string>();
  requests.forEach((r, i) => {
    if (seen.has(r.vdg)) throw bad(`requests.${i}.vdg`, `"${r.vdg}" asks twice`);
    seen.add(r.vdg);
    if (!Number.isSafeInteger(r.priority) || r.priority < 1)
      throw bad(`requests.${i}.priority`, 'must be an integer ≥ 1');
    if (!Number.isFinite(r.bidUsdPerKwh)) throw bad(`requests.${i}.bidUsdPerKwh`, 'must be a finite price');
    if (!(r.kw >= 0) || !Number.isFinite(r.kw)) throw bad(`requests.${i}.kw`, 'must be a finite power ≥ 0');
  });
}

/**
 * The DSO as hypervisor (Horta §3): shares one direction of a constrained line among the virtual
 * distribution grids that ask for it. The rule:
 * 1. priority first: a class (priority 1, then 2, …) is served whole before the next gets anything;
 * 2. price within a class: requests are served by their bid for capacity, highest first;
 * 3. requests of the same class and bid share what is left pro rata to what they asked for.
 * So a VDG is curtailed only when every request ranked before it is served in full, and a VDG
 * ranked after a curtailed one gets nothing. Nobody gets more than it asked for, and the grants sum
 * to min(capacity, the sum of the requests). Returns the grant per VDG, kW.
 */
export function allocateCapacity(
  requests: readonly CapacityRequest[],
  capacityKw: number,
): Record<string, number> {
  check(requests, capacityKw);
  const ranked = [...requests].sort(
    (a, b) => a.priority - b.priority || b.bidUsdPerKwh - a.bidUsdPerKwh || (a.vdg < b.vdg ? -1 : 1),
  );
  const grants: Record<string, number> = {};
  let left = capacityKw;
  for (let i = 0; i < ranked.length; ) {
    // the tier: requests of one class and one bid
    let j = i;
    let asked = 0;
    while (
      j < ranked.length &&
      ranked[j].priority === ranked[i].priority &&
      ranked[j].bidUsdPerKwh === ranked[i].bidUsdPerKwh
    )
      asked += ranked[j++].kw;
    const share = asked <= left ? 1 : left / asked;
    for (let k = i; k < j; k++) grants[ranked[k].vdg] = ranked[k].kw * share;
    left = Math.max(0, left - Math.min(asked, left));
    i = j;
  }
  return grants;
}
