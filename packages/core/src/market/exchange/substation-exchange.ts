import { InvalidValueError } from '../../errors/index.js';

/**
 * One step of a feeder's curve at the substation: `buy` imports up to `kw` into the feeder at a
 * price up to `usdPerKwh`, `sell` exports up to `kw` out of it at a price of at least `usdPerKwh`.
 * A feeder's LEM makes its curve from its own orders and grid (what it would import or export at
 * each substation price).
 */
export interface CurveStep {
  id: string;
  feeder: string;
  side: 'buy' | 'sell';
  kw: number;
  usdPerKwh: number;
}

export interface ExchangeInput {
  /** the feeders' curves, all for the same interval */
  steps: readonly CurveStep[];
  /** the ISO's price at the substation, $/kWh: the ISO buys and sells any amount at it */
  isoUsdPerKwh: number;
  /** the substation transformer's limit, kW: the ISO's net import or export through it is at most this */
  transformerKw: number;
  /** the interval's length, h (energy = power × hours) */
  intervalH: number;
}

export interface ExchangeFill {
  id: string;
  feeder: string;
  side: 'buy' | 'sell';
  /** power accepted, kW (at most the step's) */
  kw: number;
  /** money received (+) or paid (−) over the interval, $ */
  usd: number;
}

export interface ExchangeLine {
  account: 'iso' | 'transformer-rent';
  /** energy the account sold into the substation (+) or bought from it (−), kWh */
  kwh: number;
  usd: number;
}

export interface ExchangeResult {
  /** the substation's price, $/kWh: the ISO's while the transformer has room, above it when imports are limited, below when exports are */
  usdPerKwh: number;
  /** the ISO's net import into the substation, kW (negative: export); within ±transformerKw */
  isoImportKw: number;
  /** which limit binds, if any */
  binding: 'import' | 'export' | null;
  fills: ExchangeFill[];
  /** per feeder: net import (kW, negative: export) and money (+ received) */
  feeders: Record<string, { importKw: number; usd: number }>;
  /** the counterparties without steps: the ISO at its price, and the transformer's congestion rent */
  lines: ExchangeLine[];
}

const EPS = 1e-9;

function check(input: ExchangeInput): void {
  const bad = (field: string, why: string) =>
    new InvalidValueError(`substation exchange: ${field}: ${why}`, { details: { field } });
  if (!Number.isFinite(input.isoUsdPerKwh)) throw bad('isoUsdPerKwh', 'must be a finite price');
  if (!(input.transformerKw >= 0) || !Number.isFinite(input.transformerKw))
    throw bad('transformerKw', 'must be a finite power ≥ 0');
  if (!(input.intervalH > 0) || !Number.isFinite(input.intervalH)) throw bad('intervalH', 'must be > 0');
  const ids = new Set<string>();
  input.steps.forEach((s, i) => {
    if (ids.has(s.id)) throw bad(`steps.${i}.id`, `"${s.id}" is used twice`);
    ids.add(s.id);
    if (s.side !== 'buy' && s.side !== 'sell') throw bad(`steps.${i}.side`, 'must be buy or sell');
    if (!(s.kw > 0) || !Number.isFinite(s.kw)) throw bad(`steps.${i}.kw`, 'must be a finite power > 0');
    if (!Number.isFinite(s.usdPerKwh)) throw bad(`steps.${i}.usdPerKwh`, 'must be a finite price');
  });
}

/** Supply and demand at a price: strictly and weakly in the money. */
function at(steps: readonly CurveStep[], price: number) {
  let dAbove = 0; // buys with a limit above the price
  let dAt = 0; // buys at the price
  let sBelow = 0;
  let sAt = 0;
  for (const s of steps) {
    if (s.side === 'buy') {
      if (s.usdPerKwh > price) dAbove += s.kw;
      else if (s.usdPerKwh === price) dAt += s.kw;
    } else if (s.usdPerKwh < price) sBelow += s.kw;
    else if (s.usdPerKwh === price) sAt += s.kw;
  }
  // the ISO's net import the steps leave at this price lies in [lower, upper]
  return { dAbove, dAt, sBelow, sAt, lower: dAbove - (sBelow + sAt), upper: dAbove + dAt - sBelow };
}

/**
 * Clears the feeders' curves of one substation against each other and the ISO (Papalexopoulos
 * §V: LEMs exchange energy between them; the ISO boundary sits above the substation). While
 * the transformer has room the ISO is the marginal party and the price is its price; when the
 * feeders' net import would exceed the transformer's limit, the price rises until it does not
 * (and falls when their net export would): one uniform price, every step in the money accepted
 * whole, those at the price shared pro rata. The ISO is paid its price for the net import, and
 * the difference to the local price on the energy through the transformer is the transformer's
 * congestion rent, so all money sums to zero.
 */
export function clearSubstation(input: ExchangeInput): ExchangeResult {
  check(input);
  const { steps, isoUsdPerKwh: iso, transformerKw: limit, intervalH: h } = input;
  const prices = [...new Set(steps.map((s) => s.usdPerKwh))].sort((a, b) => a - b);
  let price = iso;
  let target: number;
  let binding: ExchangeResult['binding'] = null;
  const here = at(steps, iso);
  if (here.lower > limit + EPS) {
    // imports beyond the limit at the ISO's price: the first price above it where they fit
    binding = 'import';
    target = limit;
    price = prices.find((p) => p > iso && at(steps, p).lower <= limit + EPS)!;
  } else if (here.upper < -limit - EPS) {
    binding = 'export';
    target = -limit;
    price = [...prices].reverse().find((p) => p < iso && at(steps, p).upper >= -limit - EPS)!;
  } else {
    // the ISO takes the difference; steps at its very price are accepted as far as the limit allows
    target = Math.min(
      Math.max(here.dAbove + here.dAt - here.sBelow - here.sAt, -limit, here.lower),
      limit,
      here.upper,
    );
  }
  const m = at(steps, price);
  // the steps at the price share what the others leave: x = accepted buys − accepted sells among them
  const x = target - m.dAbove + m.sBelow;
  const buysAt = Math.max(0, Math.min(m.dAt, x + m.sAt));
  const sellsAt = Math.max(0, buysAt - x);
  const fills: ExchangeFill[] = [];
  const feeders: ExchangeResult['feeders'] = {};
  let importKw = 0;
  for (const s of steps) {
    let kw = 0;
    if (s.side === 'buy') {
      if (s.usdPerKwh > price) kw = s.kw;
      else if (s.usdPerKwh === price && m.dAt > 0) kw = (s.kw * buysAt) / m.dAt;
    } else if (s.usdPerKwh < price) kw = s.kw;
    else if (s.usdPerKwh === price && m.sAt > 0) kw = (s.kw * sellsAt) / m.sAt;
    const sign = s.side === 'buy' ? 1 : -1;
    const usd = -sign * kw * h * price;
    const f = (feeders[s.feeder] ??= { importKw: 0, usd: 0 });
    f.importKw += sign * kw;
    f.usd += usd;
    importKw += sign * kw;
    if (kw > 0) fills.push({ id: s.id, feeder: s.feeder, side: s.side, kw, usd });
  }
  // the ISO is paid its price for the net import; the rest of what the feeders paid is the rent
  const lines: ExchangeLine[] = [
    { account: 'iso', kwh: importKw * h, usd: importKw * h * iso },
    { account: 'transformer-rent', kwh: 0, usd: importKw * h * (price - iso) },
  ];
  return { usdPerKwh: price, isoImportKw: importKw, binding, fills, feeders, lines };
}
