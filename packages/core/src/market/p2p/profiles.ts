import { clearSkyPvKwPerKwp, loadShares, Sky } from '../../profiles/index.js';
import { Prng } from '../../random/index.js';
import { HOURS_PER_DAY, hoursOf, intervalsPerDay, PRODUCTS } from '../../time/index.js';
import type { P2pScenario } from './scenario.js';

/** Five-minute ticks in a day: Layer III's clock. */
export const TICKS = intervalsPerDay(PRODUCTS.ahead5.intervalMinutes);
export const TICK_HOURS = hoursOf(PRODUCTS.ahead5.intervalMinutes);

const SHARES = loadShares('residential', PRODUCTS.ahead5.intervalMinutes);

export interface Prosumer {
  id: string;
  vpp: number;
  microgrid: number;
  /** actual net energy per 5-minute tick, kWh: positive exports, negative imports */
  netKwh: Float64Array;
}

/**
 * Seeded synthetic prosumers: the residential load shape with noise, and for a share of them
 * clear-sky PV under a sky that drifts around their day's clearness (the shapes of ../profiles).
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
        const sky = new Sky(r.uniform(0.55, 1));
        const net = new Float64Array(TICKS);
        for (let t = 0; t < TICKS; t++) {
          const h = (t + 0.5) * TICK_HOURS;
          const load = loadKwh * SHARES[t] * Math.max(0.2, 1 + 0.25 * r.normal());
          const pv = pvKwp * clearSkyPvKwPerKwp(h) * sky.next(r) * TICK_HOURS;
          net[t] = pv - load;
        }
        out.push({ id, vpp: v, microgrid: v * s.microgridsPerVpp + m, netKwh: net });
      }
  return out;
}

/** The ISO's default ancillary price shape, $/kWh per hour: higher in the evening ramp. */
export function defaultAncillaryPrices(): number[] {
  return Array.from(
    { length: HOURS_PER_DAY },
    (_, h) =>
      0.06 + 0.04 * Math.sin(((h - 8) / HOURS_PER_DAY) * 2 * Math.PI) + (h >= 17 && h <= 20 ? 0.12 : 0),
  );
}
