import { Fleet } from './fleet.js';
import type { FleetSpec } from './fleet-spec.js';

/**
 * Devices [start, end) of a fleet as a fleet of their own, with the same physics, states and
 * spec (its device counts are those of the slice): what one process or thread of a simulated
 * fleet steps, while the whole fleet stays the reference for who is who.
 */
export function sliceFleet(fleet: Fleet, start: number, end: number, seed: number): Fleet {
  const counts = { airConditioner: 0, waterHeater: 0, evCharger: 0, battery: 0, poolPump: 0 };
  const names = Object.keys(counts) as (keyof typeof counts)[];
  for (let i = start; i < end; i++) counts[names[fleet.kind[i]]]++;
  const spec: FleetSpec = { ...fleet.spec, devices: counts };
  const part = new Fleet(spec, seed);
  part.timeS = fleet.timeS;
  for (const key of [
    'kind',
    'tier',
    'state',
    'flags',
    'ratedKw',
    'demandKw',
    'timerS',
    'tempC',
    'energyKwh',
    'departureS',
    'disabledS',
    'cyclesPerHour',
  ] as const)
    part[key].set(fleet[key].subarray(start, end) as never);
  return part;
}
