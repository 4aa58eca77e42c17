import { control, devices } from '../der/index.js';
import type { OrderSchedule, ParsedOrders } from '../market/index.js';
import type { ProsumerSite } from './inventory.js';
import { type SiteDay, STEPS } from './profiles.js';

/** One VPP's fleet over the day: its events, how well it tracked, what it shed. */
export interface VppDay {
  vpp: string;
  devices: number;
  /** the hours the day-ahead market took the VPP's offer */
  eventHours: number[];
  /** members' flexible demand the fleet switched off, kWh */
  shedKwh: number;
  /** during events, rms of (enabled − goal) / goal over the control rounds, percent */
  rmsTrackingErrorPct: number;
  maxTierOrderViolations: number;
  /** per five-minute step: the goal and the enabled demand at its end, kW */
  goalKw: Float64Array;
  enabledKw: Float64Array;
}

const ROUND_S = 10;
const ROUNDS_PER_STEP = 30;
const WARM_UP_ROUNDS = 2160;

/** A VPP's fleet, built from its members' devices, and what it can offer. */
export interface VppFleet {
  vpp: string;
  members: number[];
  devices: number;
  controller: control.FleetController | undefined;
  /** the fleet's demand with every device enabled, kW */
  fullKw: number;
}

/** Builds each VPP's fleet from its members' air conditioners, water heaters and EV chargers. */
export function buildVppFleets(sites: readonly ProsumerSite[], seed: number, devicesPerUnit = 1): VppFleet[] {
  const byVpp = new Map<string, number[]>();
  sites.forEach((s, i) => {
    const members = byVpp.get(s.vpp) ?? [];
    members.push(i);
    byVpp.set(s.vpp, members);
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
    const fleetSeed = seed + 104729 * (v + 1);
    const controller =
      total > 0
        ? new control.FleetController(
            devices.buildFleet({ ...devices.defaultFleetSpec(total), devices: counts }, fleetSeed),
            { dtS: ROUND_S, seed: fleetSeed },
          )
        : undefined;
    // six hours of free running first, so thermostats and timers have left their initial state
    for (let r = 0; controller && r < WARM_UP_ROUNDS; r++) controller.round(Number.POSITIVE_INFINITY);
    const fullKw = controller ? controller.round(Number.POSITIVE_INFINITY).totalDemandKw : 0;
    return {
      vpp,
      members,
      devices: total,
      controller,
      fullKw,
    };
  });
}

/**
 * The VPPs' day-ahead offers: each offers to shed `shedShare` of its members' expected flexible
 * demand (the day's mean, from their forecasts), at one price, placed at the members' buses,
 * for at most `maxHours` hours' energy. The fleet model decides how the shed is shared among
 * devices; the offer is in the members' own kW.
 */
export function vppOffers(
  fleets: readonly VppFleet[],
  sites: readonly ProsumerSite[],
  days: readonly SiteDay[],
  shedShare: number,
  priceUsdPerMwh: number,
  maxHours: number,
): ParsedOrders['orders'] {
  const orders: ParsedOrders['orders'] = [];
  for (const f of fleets) {
    if (!f.controller) continue;
    const byPosition = new Map<string, { bus: string; phases: number[]; kw: number }>();
    for (const i of f.members) {
      const key = `${sites[i].bus}|${sites[i].phases.join('.')}`;
      const p = byPosition.get(key) ?? { bus: sites[i].bus, phases: sites[i].phases, kw: 0 };
      p.kw += shedShare * meanOf(days[i].flexKw);
      byPosition.set(key, p);
    }
    for (const [key, p] of byPosition)
      if (p.kw > 1e-3)
        orders.push({
          type: 'offer',
          id: `${VPP_PREFIX}${f.vpp}|${key}`,
          participant: f.vpp,
          bus: p.bus,
          phases: p.phases,
          steps: [{ price: priceUsdPerMwh, quantityKw: p.kw }],
          maxDailyEnergyKwh: p.kw * maxHours,
        });
  }
  return orders;
}

const meanOf = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / Math.max(1, xs.length);
};

export const VPP_PREFIX = 'vpp:';

/**
 * Each VPP steers its fleet with the tiered controller, a round every 10 s: at full demand
 * except where the day-ahead market took its offer, where the goal sheds the cleared kW as a
 * share of the members' flexible demand in that hour. The share the fleet actually shed leaves
 * each member's flexible demand, step by step.
 */
export function runFleets(
  fleets: readonly VppFleet[],
  days: SiteDay[],
  schedules: readonly OrderSchedule[],
): VppDay[] {
  return fleets.map((f) => {
    const clearedKw = new Float64Array(24);
    for (const s of schedules)
      if (s.id.startsWith(`${VPP_PREFIX}${f.vpp}|`))
        for (let h = 0; h < 24; h++) clearedKw[h] += s.kw[h] ?? 0;
    // the cleared kW as a share of the members' flexible demand in each hour
    const shedShare = new Float64Array(24);
    for (let h = 0; h < 24; h++) {
      let flex = 0;
      for (const i of f.members) for (let k = h * 12; k < (h + 1) * 12; k++) flex += days[i].flexKw[k] / 12;
      shedShare[h] = flex > 0 ? Math.min(0.9, clearedKw[h] / flex) : 0;
    }
    return runFleet(f, days, clearedKw, shedShare);
  });
}

function runFleet(f: VppFleet, days: SiteDay[], clearedKw: Float64Array, shedShare: Float64Array): VppDay {
  const out: VppDay = {
    vpp: f.vpp,
    devices: f.devices,
    eventHours: [...clearedKw.keys()].filter((h) => clearedKw[h] > 1e-6),
    shedKwh: 0,
    rmsTrackingErrorPct: 0,
    maxTierOrderViolations: 0,
    goalKw: new Float64Array(STEPS),
    enabledKw: new Float64Array(STEPS),
  };
  const c = f.controller;
  if (!c) return out;
  let fullKw = f.fullKw;
  let sq = 0;
  let n = 0;
  for (let k = 0; k < STEPS; k++) {
    const cleared = clearedKw[Math.floor(k / 12)];
    const share = shedShare[Math.floor(k / 12)];
    let shedKw = 0;
    let goal = fullKw;
    for (let r = 0; r < ROUNDS_PER_STEP; r++) {
      goal = cleared > 0 ? (1 - share) * fullKw : Number.POSITIVE_INFINITY;
      const res = c.round(goal);
      fullKw = res.totalDemandKw;
      shedKw += Math.max(0, res.totalDemandKw - res.enabledKw) / ROUNDS_PER_STEP;
      out.maxTierOrderViolations = Math.max(out.maxTierOrderViolations, res.control.tierOrderViolations);
      out.enabledKw[k] = res.enabledKw;
      if (cleared > 0 && r >= 3 && res.control.targetKw > 0) {
        // the first rounds of an event are the step response, not tracking
        sq += (res.trackingErrorKw / res.control.targetKw) ** 2;
        n++;
      }
    }
    out.goalKw[k] = cleared > 0 ? goal : fullKw;
    out.shedKwh += relieve(f, days, k, fullKw > 0 ? shedKw / fullKw : 0) / 12;
  }
  out.rmsTrackingErrorPct = n > 0 ? 100 * Math.sqrt(sq / n) : 0;
  return out;
}

/** The fleet's shed share leaves each member's flexible demand; returns the kW shed. */
function relieve(f: VppFleet, days: SiteDay[], k: number, share: number): number {
  if (share <= 0) return 0;
  let kw = 0;
  for (const i of f.members) {
    const d = days[i];
    const cut = share * d.flexKw[k];
    d.flexKw[k] -= cut;
    d.loadKw[k] -= cut;
    d.netKw[k] += cut;
    kw += cut;
  }
  return kw;
}
