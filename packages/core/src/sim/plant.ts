import { control, devices } from '../der/index.js';
import { PRODUCTS, SECONDS_PER_HOUR, SECONDS_PER_MINUTE } from '../time/index.js';
import type { ProsumerSite } from './inventory.js';

/** The tiered controller's round, s; and the free running before the day starts. */
export const ROUND_S = 10;
const WARM_UP_S = 6 * SECONDS_PER_HOUR;
export const ROUNDS_PER_INTERVAL = (PRODUCTS.rt5.intervalMinutes * SECONDS_PER_MINUTE) / ROUND_S;

/** One VPP's devices: the members' air conditioners, water heaters and EV chargers under the tiered controller. */
export interface Plant {
  vpp: string;
  members: number[];
  devices: number;
  spec: devices.FleetSpec;
  seed: number;
  controller: control.FleetController | undefined;
  fullKw: number;
}

/** What a plant did over one interval. */
export interface PlantStep {
  fullKw: number;
  enabledKw: number;
  /** share of the full demand switched off, averaged over the interval */
  shedShare: number;
  rmsTrackingErrorPct: number;
  /** at the interval's end, kW */
  enabledByTierKw: Record<devices.TierName, number>;
  /** following regulation: the signal per round and the response, (base − enabled) / capacity */
  regulation?: { signal: number[]; response: number[] };
}

/** What a fleet follows besides its goal: a regulation signal around it (see FleetGoal). */
export interface PlantRegulation {
  capacityKw: number;
  stepS: number;
  signal: readonly number[];
}

/** Builds each VPP's plant from its members' devices (`devicesPerUnit` devices per unit of the inventory). */
export function buildPlants(sites: readonly ProsumerSite[], seed: number, devicesPerUnit: number): Plant[] {
  const byVpp = new Map<string, number[]>();
  sites.forEach((s, i) => {
    const list = byVpp.get(s.vpp) ?? [];
    list.push(i);
    byVpp.set(s.vpp, list);
  });
  return [...byVpp].map(([vpp, members], v) => {
    const counts = { airConditioner: 0, waterHeater: 0, evCharger: 0, battery: 0, poolPump: 0 };
    for (const i of members) {
      const t = sites[i].thermostatic;
      counts.airConditioner += (t?.acUnits ?? 0) * devicesPerUnit;
      counts.waterHeater += (t?.waterHeaters ?? 0) * devicesPerUnit;
      counts.evCharger += (sites[i].ev?.chargers ?? 0) * devicesPerUnit;
    }
    const total = counts.airConditioner + counts.waterHeater + counts.evCharger;
    const plantSeed = seed + 104729 * (v + 1);
    const spec = { ...devices.defaultFleetSpec(Math.max(1, total)), devices: counts };
    const controller =
      total > 0
        ? new control.FleetController(devices.buildFleet(spec, plantSeed), { dtS: ROUND_S, seed: plantSeed })
        : undefined;
    // free running first, so thermostats and timers have left their initial state
    for (let r = 0; controller && r < WARM_UP_S / ROUND_S; r++) controller.round(Number.POSITIVE_INFINITY);
    const fullKw = controller ? controller.round(Number.POSITIVE_INFINITY).totalDemandKw : 0;
    return { vpp, members, devices: total, spec, seed: plantSeed, controller, fullKw };
  });
}

/**
 * Runs one interval's rounds towards a goal (null: no limit); under regulation each round's goal
 * is goalKw − capacity × the signal's value at that round.
 */
export function stepPlant(p: Plant, goalKw: number | null, regulation?: PlantRegulation): PlantStep {
  const c = p.controller;
  if (!c) return { fullKw: 0, enabledKw: 0, shedShare: 0, rmsTrackingErrorPct: 0, enabledByTierKw: byTier() };
  let shed = 0;
  let sq = 0;
  let n = 0;
  let enabledKw = 0;
  let enabledByTierKw = byTier();
  const reg = goalKw !== null && regulation && regulation.capacityKw > 0 ? regulation : undefined;
  const signal: number[] = [];
  const response: number[] = [];
  for (let r = 0; r < ROUNDS_PER_INTERVAL; r++) {
    const s = reg ? (reg.signal[Math.floor((r * ROUND_S) / reg.stepS)] ?? 0) : 0;
    const res = c.round(
      goalKw === null ? Number.POSITIVE_INFINITY : Math.max(0, goalKw - s * (reg?.capacityKw ?? 0)),
    );
    if (reg) {
      signal.push(s);
      response.push((goalKw! - res.enabledKw) / reg.capacityKw);
    }
    p.fullKw = res.totalDemandKw;
    enabledKw = res.enabledKw;
    enabledByTierKw = byTier(res.enabledByTierKw);
    if (res.totalDemandKw > 0)
      shed += Math.max(0, res.totalDemandKw - res.enabledKw) / res.totalDemandKw / ROUNDS_PER_INTERVAL;
    // the first rounds after a new goal are the step response, not tracking
    if (goalKw !== null && r >= 3 && res.control.targetKw > 0) {
      sq += (res.trackingErrorKw / res.control.targetKw) ** 2;
      n++;
    }
  }
  return {
    fullKw: p.fullKw,
    enabledKw,
    shedShare: shed,
    rmsTrackingErrorPct: n > 0 ? 100 * Math.sqrt(sq / n) : 0,
    enabledByTierKw,
    ...(reg ? { regulation: { signal, response } } : {}),
  };
}

/** Per tier by name, from the controller's array in TIERS order (zeros without one). */
function byTier(kw?: ArrayLike<number>): Record<devices.TierName, number> {
  return Object.fromEntries(devices.TIERS.map((t, i) => [t, kw?.[i] ?? 0])) as Record<
    devices.TierName,
    number
  >;
}
