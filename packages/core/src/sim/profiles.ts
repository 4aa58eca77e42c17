import { clearSkyPvKwPerKwp, loadWeight, Sky } from '../profiles/index.js';
import { Prng } from '../random/index.js';
import {
  HOURS_PER_DAY,
  hoursOf,
  intervalsIn,
  intervalsPerDay,
  MINUTES_PER_HOUR,
  PRODUCTS,
} from '../time/index.js';
import type { ProsumerSite } from './inventory.js';

/** Five-minute steps of a day: the real-time market's and the meters' clock. */
export const STEP_MINUTES = PRODUCTS.rt5.intervalMinutes;
export const STEPS = intervalsPerDay(STEP_MINUTES);
export const STEP_HOURS = hoursOf(STEP_MINUTES);
export const INTERVALS_PER_HOUR = intervalsIn(MINUTES_PER_HOUR, STEP_MINUTES);

/** A site's day, kW per five-minute step: what it draws, what its PV makes, and its net export. */
export interface SiteDay {
  loadKw: Float64Array;
  /** the part of loadKw that the site's VPP can switch: EV charging, air conditioners, water heaters */
  flexKw: Float64Array;
  pvKw: Float64Array;
  /** battery power, kW (positive: discharging) */
  batteryKw: Float64Array;
  /** net export into the grid, kW (negative: import) */
  netKw: Float64Array;
  /** the day-ahead forecast of netKw, hourly mean kW */
  forecastNetKw: Float64Array;
}

const hourOf = (step: number) => step * STEP_HOURS;
const bump = (h: number, at: number, width: number) => Math.exp(-(((h - at) / width) ** 2));

/**
 * A seeded day for every site: base load with noise, clear-sky PV scaled by the day's
 * cloudiness with passing clouds, an EV that arrives in the evening and charges at full power,
 * an air conditioner whose duty cycle follows the afternoon heat, a water heater after the
 * morning and evening draws, and a battery that stores PV surplus and serves the evening. The
 * forecast is the hourly mean with an error that grows with the site's variability.
 */
export function siteDays(sites: readonly ProsumerSite[], seed: number, forecastErrorPct: number): SiteDay[] {
  const r = new Prng(seed);
  const clearness = r.uniform(0.6, 1);
  return sites.map((s) => siteDay(s, r, clearness, forecastErrorPct));
}

function siteDay(s: ProsumerSite, r: Prng, clearness: number, errorPct: number): SiteDay {
  const loadKw = new Float64Array(STEPS);
  const flexKw = new Float64Array(STEPS);
  const pvKw = new Float64Array(STEPS);
  const evArrive = r.uniform(17, 20);
  const evKw = (s.ev?.chargers ?? 0) * (s.ev?.powerKwEach ?? 0);
  const acKw = s.thermostatic?.acKwEach ?? 0;
  const acUnits = s.thermostatic?.acUnits ?? 0;
  const heaterKw = s.thermostatic?.waterHeaterKwEach ?? 0;
  const heaters = s.thermostatic?.waterHeaters ?? 0;
  const evHours = evKw > 0 ? r.uniform(1.5, 4) : 0;
  const sky = new Sky(clearness);
  for (let k = 0; k < STEPS; k++) {
    const h = hourOf(k);
    const base = Math.max(0, s.baseLoadKw * loadWeight(s.kind, h) * (1 + 0.12 * r.normal()));
    let flex = 0;
    const evH = (h - evArrive + HOURS_PER_DAY) % HOURS_PER_DAY;
    if (evH < evHours) flex += evKw;
    // each unit cycles on its own duty: the afternoon heat for air conditioners, the morning
    // and evening draws for water heaters
    const heat = bump(h, 15.5, 3.5);
    for (let u = 0; u < acUnits; u++) if (r.next() < 0.15 + 0.7 * heat) flex += acKw;
    for (let u = 0; u < heaters; u++)
      if (r.next() < 0.35 * (bump(h, 7, 1) + bump(h, 20, 1.5))) flex += heaterKw;
    flexKw[k] = flex;
    loadKw[k] = base + flex;
    pvKw[k] = s.pvKwp * clearSkyPvKwPerKwp(h) * sky.next(r);
  }
  const batteryKw = dispatchBattery(s, loadKw, pvKw);
  const netKw = new Float64Array(STEPS);
  for (let k = 0; k < STEPS; k++) netKw[k] = pvKw[k] + batteryKw[k] - loadKw[k];
  const forecastNetKw = new Float64Array(HOURS_PER_DAY);
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    let mean = 0;
    for (let k = h * INTERVALS_PER_HOUR; k < (h + 1) * INTERVALS_PER_HOUR; k++)
      mean += netKw[k] / INTERVALS_PER_HOUR;
    forecastNetKw[h] = mean + (errorPct / 100) * (Math.abs(mean) + 0.1) * r.normal();
  }
  return { loadKw, flexKw, pvKw, batteryKw, netKw, forecastNetKw };
}

/** Self-consumption: charge from PV surplus, discharge into the evening deficit, within power and energy. */
function dispatchBattery(s: ProsumerSite, loadKw: Float64Array, pvKw: Float64Array): Float64Array {
  const out = new Float64Array(STEPS);
  if (!s.battery) return out;
  const { energyKwh, powerKw } = s.battery;
  let socKwh = 0.3 * energyKwh;
  for (let k = 0; k < STEPS; k++) {
    const surplus = pvKw[k] - loadKw[k];
    if (surplus > 0) {
      const p = Math.min(surplus, powerKw, ((energyKwh - socKwh) / STEP_HOURS) * 0.95);
      out[k] = -p;
      socKwh += p * STEP_HOURS * 0.95;
    } else if (hourOf(k) >= 16) {
      const p = Math.min(-surplus, powerKw, (socKwh / STEP_HOURS) * 0.95);
      out[k] = p;
      socKwh -= (p * STEP_HOURS) / 0.95;
    }
  }
  return out;
}
