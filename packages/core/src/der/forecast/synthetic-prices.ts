import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import { HOURS_PER_DAY } from '../../time/index.js';

/** Hourly prices, $/MWh: the day-ahead market's and the real-time market's hourly average. */
export interface PriceHistory {
  dayAhead: number[];
  realTime: number[];
}

/**
 * A seeded synthetic price history, GridTier's own rather than downloaded data: a daily shape
 * with morning and evening peaks and a midday solar dip, a weekly cycle, AR(1) day-ahead noise,
 * and real-time prices that follow the day-ahead ones with their own AR(1) deviation and rare
 * scarcity spikes.
 */
export function syntheticPriceHistory(seed: number, days: number): PriceHistory {
  const r = new Prng(seed);
  const dayAhead: number[] = [];
  const realTime: number[] = [];
  let daNoise = 0;
  let rtNoise = 0;
  for (let d = 0; d < days; d++) {
    const weekday = d % 7 < 5 ? 1 : 0.85;
    const level = 40 + 6 * r.normal();
    for (let h = 0; h < HOURS_PER_DAY; h++) {
      const shape =
        1 +
        0.35 * Math.exp(-(((h - 8) / 2) ** 2)) +
        0.6 * Math.exp(-(((h - 19) / 2.2) ** 2)) -
        0.3 * Math.exp(-(((h - 13) / 2.5) ** 2));
      daNoise = 0.7 * daNoise + 3 * r.normal();
      const da = Math.max(-20, level * weekday * shape + daNoise);
      rtNoise = 0.5 * rtNoise + 6 * r.normal();
      const spike = r.next() < 0.01 ? r.uniform(50, 250) : 0;
      dayAhead.push(da);
      realTime.push(da + rtNoise + spike);
    }
  }
  return { dayAhead, realTime };
}

/** Prices from a CSV of one price per line, optionally after a label column; errors name the line. */
export function parsePriceCsv(text: string, source = 'prices'): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const cells = line.trim().split(',');
    if (cells.length === 1 && cells[0] === '') return;
    const cell = cells[cells.length - 1].trim();
    // Number('') is 0: an empty cell is no price
    const value = cell === '' ? Number.NaN : Number(cell);
    if (!Number.isFinite(value)) {
      if (i === 0 && out.length === 0) return; // a header
      throw new InvalidValueError(`${source}:${i + 1}: "${cell}" is not a price`);
    }
    out.push(value);
  });
  return out;
}
