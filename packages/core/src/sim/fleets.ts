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
  /** each member's flexible rating, kW: the share of the fleet it carries */
  flexKw: number[];
}

/** Builds each VPP's fleet from its members' air conditioners, water heaters and EV chargers. */
export function buildVppFleets(sites: readonly ProsumerSite[], seed: number): VppFleet[] {
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
      counts.airConditioner += t?.acUnits ?? 0;
      counts.waterHeater += t?.waterHeaters ?? 0;
      counts.evCharger += sites[i].ev?.chargers ?? 0;
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
      flexKw: members.map((i) => flexibleKw(sites[i])),
    };
  });
}

/**
 * The VPPs' day-ahead offers: each offers to shed `shedShare` of its fleet's demand at one price,
 * placed at its members' buses by their flexible ratings, for at most `maxHours` hours' energy.
 */
export function vppOffers(
  fleets: readonly VppFleet[],
  sites: readonly ProsumerSite[],
  shedShare: number,
  priceUsdPerMwh: number,
  maxHours: number,
): ParsedOrders['orders'] {
  const orders: ParsedOrders['orders'] = [];
  for (const f of fleets) {
    const totalFlex = f.flexKw.reduce((a, x) => a + x, 0);
    if (!f.controller || totalFlex <= 0) continue;
    const byPosition = new Map<string, { bus: string; phases: number[]; kw: number }>();
    f.members.forEach((i, m) => {
      const key = `${sites[i].bus}|${sites[i].phases.join('.')}`;
      const p = byPosition.get(key) ?? { bus: sites[i].bus, phases: sites[i].phases, kw: 0 };
      p.kw += (shedShare * f.fullKw * f.flexKw[m]) / totalFlex;
      byPosition.set(key, p);
    });
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

export const VPP_PREFIX = 'vpp:';

/**
 * Each VPP steers its fleet with the tiered controller, a round every 10 s: at full demand
 * except where the day-ahead market took its offer, where the goal is full demand less the
 * cleared kW. What the fleet sheds leaves its members' metered demand, by their flexible ratings.
 */
export function runFleets(
  fleets: readonly VppFleet[],
  sites: readonly ProsumerSite[],
  days: SiteDay[],
  schedules: readonly OrderSchedule[],
): VppDay[] {
  return fleets.map((f) => {
    const clearedKw = new Float64Array(24);
    for (const s of schedules)
      if (s.id.startsWith(`${VPP_PREFIX}${f.vpp}|`))
        for (let h = 0; h < 24; h++) clearedKw[h] += s.kw[h] ?? 0;
    return runFleet(f, sites, days, clearedKw);
  });
}

function runFleet(
  f: VppFleet,
  sites: readonly ProsumerSite[],
  days: SiteDay[],
  clearedKw: Float64Array,
): VppDay {
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
    let shedKw = 0;
    let goal = fullKw;
    for (let r = 0; r < ROUNDS_PER_STEP; r++) {
      goal = cleared > 0 ? Math.max(0, fullKw - cleared) : Number.POSITIVE_INFINITY;
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
    out.shedKwh += shedKw / 12;
    relieve(f, days, k, shedKw);
  }
  out.rmsTrackingErrorPct = n > 0 ? 100 * Math.sqrt(sq / n) : 0;
  return out;
}

function flexibleKw(s: ProsumerSite): number {
  return (
    (s.thermostatic?.acUnits ?? 0) * (s.thermostatic?.acKwEach ?? 0) +
    (s.thermostatic?.waterHeaters ?? 0) * (s.thermostatic?.waterHeaterKwEach ?? 0) +
    (s.ev?.chargers ?? 0) * (s.ev?.powerKwEach ?? 0)
  );
}

/** What the fleet shed leaves the members' demand, by their flexible ratings, never below zero. */
function relieve(f: VppFleet, days: SiteDay[], k: number, shedKw: number): void {
  const totalFlex = f.flexKw.reduce((a, x) => a + x, 0);
  if (shedKw <= 0 || totalFlex <= 0) return;
  f.members.forEach((i, m) => {
    const d = days[i];
    const cut = Math.min(d.loadKw[k], (shedKw * f.flexKw[m]) / totalFlex);
    d.loadKw[k] -= cut;
    d.netKw[k] += cut;
  });
}
