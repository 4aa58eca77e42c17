import { Prng } from '../../random/index.js';
import { HOURS_PER_DAY, hoursOf, intervalsPerDay, PRODUCTS } from '../../time/index.js';
import type { P2pScenario } from './scenario.js';

/** Five-minute ticks in a day: Layer III's clock. */
export const TICKS = intervalsPerDay(PRODUCTS.ahead5.intervalMinutes);
export const TICK_HOURS = hoursOf(PRODUCTS.ahead5.intervalMinutes);

export interface Prosumer {
  id: string;
  vpp: number;
  microgrid: number;
  /** actual net energy per 5-minute tick, kWh: positive exports, negative imports */
  netKwh: Float64Array;
}

/**
 * Seeded synthetic prosumers: a daily load shape with morning and evening peaks and noise, and
 * for a share of them a clear-sky PV curve scaled by the day's cloudiness with passing clouds.
 */
export function syntheticProsumers(s: P2pScenario): Prosumer[] {
  const r = new Prng(s.seed);
  const out: Prosumer[] = [];
  for (let v = 0; v < s.vpps; v++)
    for (let m = 0; m < s.microgridsPerVpp; m++)
      for (let k = 0; k < s.prosumersPerMicrogrid; k++) {
        const id = `v${v}-m${m}-p${k}`;
        const loadKwh = r.uniform(s.loadKwhPerDay[0], s.loadKwhPerDay[1]);
        const pvKwp = r.next() < s.pvShare ? r.uniform(s.pvKwp[0], s.pvKwp[1]) : 0;
        const clearness = r.uniform(0.55, 1);
        const net = new Float64Array(TICKS);
        const shape = loadShape();
        for (let t = 0; t < TICKS; t++) {
          const h = (t + 0.5) * TICK_HOURS;
          const load = loadKwh * shape[t] * Math.max(0.2, 1 + 0.25 * r.normal());
          const sun = Math.max(0, Math.sin((Math.PI * (h - 6)) / 13));
          const pv = pvKwp * sun ** 1.3 * clearness * (r.next() < 0.1 ? r.uniform(0.3, 0.8) : 1) * TICK_HOURS;
          net[t] = pv - load;
        }
        out.push({ id, vpp: v, microgrid: v * s.microgridsPerVpp + m, netKwh: net });
      }
  return out;
}

/** Share of a day's load in each tick: a base with morning and evening peaks, summing to 1. */
function loadShape(): Float64Array {
  const w = new Float64Array(TICKS);
  let sum = 0;
  for (let t = 0; t < TICKS; t++) {
    const h = (t + 0.5) * TICK_HOURS;
    w[t] = 0.6 + 0.8 * Math.exp(-(((h - 7.5) / 1.5) ** 2)) + 1.2 * Math.exp(-(((h - 19) / 2) ** 2));
    sum += w[t];
  }
  for (let t = 0; t < TICKS; t++) w[t] /= sum;
  return w;
}

/** The ISO's default ancillary price shape, $/kWh per hour: higher in the evening ramp. */
export function defaultAncillaryPrices(): number[] {
  return Array.from(
    { length: HOURS_PER_DAY },
    (_, h) =>
      0.06 + 0.04 * Math.sin(((h - 8) / HOURS_PER_DAY) * 2 * Math.PI) + (h >= 17 && h <= 20 ? 0.12 : 0),
  );
}
