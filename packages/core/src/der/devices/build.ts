import { Prng } from '../../random/index.js';
import { FLAG_CALLING, Fleet } from './fleet.js';
import { type FleetSpec, parseFleetSpec } from './fleet-spec.js';
import {
  DEVICE_KINDS,
  KIND_AIR_CONDITIONER,
  KIND_BATTERY,
  KIND_EV_CHARGER,
  KIND_POOL_PUMP,
  KIND_WATER_HEATER,
  STATE_EF,
  TIERS,
} from './kinds.js';
import { AIR_CONDITIONER, BATTERY, EV_CHARGER, POOL_PUMP, WATER_HEATER } from './physics.js';

const between = (r: Prng, range: readonly [number, number]) => r.uniform(range[0], range[1]);

/**
 * Builds a fleet from a spec (validated) and a seed. Kinds are shuffled over the indices so every
 * aggregation group is a fair sample of the fleet, which is what makes sampled estimates unbiased.
 */
export function buildFleet(specInput: FleetSpec | unknown, seed: number): Fleet {
  const spec = parseFleetSpec(specInput);
  const fleet = new Fleet(spec, seed);
  const r = new Prng((seed ^ 0x5bd1e995) >>> 0);
  const n = fleet.size;
  let i = 0;
  DEVICE_KINDS.forEach((k, code) => {
    for (let j = 0; j < spec.devices[k]; j++) fleet.kind[i++] = code;
  });
  for (let a = n - 1; a > 0; a--) {
    const b = r.int(a + 1);
    const t = fleet.kind[a];
    fleet.kind[a] = fleet.kind[b];
    fleet.kind[b] = t;
  }
  const cumulative = TIERS.map((_, t) => TIERS.slice(0, t + 1).reduce((a, x) => a + spec.tierShares[x], 0));
  const ac = spec.comfort.airConditioner;
  const wh = spec.comfort.waterHeater;
  for (let d = 0; d < n; d++) {
    const u = r.next();
    let tier = 0;
    while (tier < TIERS.length - 1 && u >= cumulative[tier]) tier++;
    fleet.tier[d] = tier;
    fleet.state[d] = STATE_EF;
    const kind = fleet.kind[d];
    // thermostats start at random points of their cycle so the fleet does not start synchronised
    if (kind === KIND_AIR_CONDITIONER) {
      fleet.ratedKw[d] = between(r, AIR_CONDITIONER.ratedKw);
      fleet.tempC[d] = ac.setpointC + r.uniform(-ac.deadbandC, ac.deadbandC);
      if (r.next() < 0.6) fleet.flags[d] = FLAG_CALLING;
    } else if (kind === KIND_WATER_HEATER) {
      fleet.ratedKw[d] = between(r, WATER_HEATER.ratedKw);
      fleet.tempC[d] = wh.setpointC + r.uniform(-wh.deadbandC, wh.deadbandC);
      if (r.next() < 0.15) fleet.flags[d] = FLAG_CALLING;
    } else if (kind === KIND_EV_CHARGER) {
      fleet.ratedKw[d] = between(r, EV_CHARGER.ratedKw);
      fleet.energyKwh[d] = between(r, EV_CHARGER.neededKwh);
      fleet.departureS[d] = between(r, EV_CHARGER.departureS);
    } else if (kind === KIND_BATTERY) {
      fleet.ratedKw[d] = between(r, BATTERY.ratedKw);
      fleet.energyKwh[d] = between(r, BATTERY.neededKwh);
    } else if (kind === KIND_POOL_PUMP) {
      fleet.ratedKw[d] = between(r, POOL_PUMP.ratedKw);
    }
    fleet.demandKw[d] = initialDemandKw(fleet, d);
  }
  return fleet;
}

function initialDemandKw(fleet: Fleet, d: number): number {
  const kind = fleet.kind[d];
  if (kind === KIND_AIR_CONDITIONER || kind === KIND_WATER_HEATER)
    return (fleet.flags[d] & FLAG_CALLING) !== 0 ? fleet.ratedKw[d] : 0;
  if (kind === KIND_EV_CHARGER || kind === KIND_BATTERY) return fleet.energyKwh[d] > 0 ? fleet.ratedKw[d] : 0;
  return fleet.ratedKw[d];
}
