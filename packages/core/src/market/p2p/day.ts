import { Prng } from '../../random/index.js';
import { intervalsPerDay, PRODUCTS, priceAt } from '../../time/index.js';
import type { CallResult } from '../auction/index.js';
import { mda, meritOrder, payAsBid, uniformPrice } from '../auction/index.js';
import type { LimitOrder } from '../orders/index.js';
import { settleTick } from './layer3.js';
import { defaultAncillaryPrices, type Prosumer, syntheticProsumers, TICK_HOURS, TICKS } from './profiles.js';
import { report } from './report.js';
import type { P2pScenario } from './scenario.js';
import { emptyTotals, type P2pDayResult, type VppTick } from './types.js';

const SLOTS = intervalsPerDay(PRODUCTS.ahead30.intervalMinutes); // Layer I: 30-minute products

/** A Layer I match, by the prosumers' indices; the MDA's buyer and seller prices may differ. */
export interface Layer1Trade {
  slot: number;
  seller: number;
  buyer: number;
  kwh: number;
  buyerUsdPerKwh: number;
  sellerUsdPerKwh: number;
}

export interface P2pDayOptions {
  /** the day's prosumers (a feeder's, with their actual 5-minute energies); synthetic ones by default */
  prosumers?: Prosumer[];
  /** sees every Layer I trade, for settlement on a ledger */
  onLayer1Trade?: (t: Layer1Trade) => void;
}
const TICKS_PER_SLOT = 6;
const TICKS_PER_QUARTER = 3; // Layer II: 15-minute products

/**
 * One day of the three-layer hierarchy of the mishra seed (section 3.4), each layer on its own
 * clock:
 * - Layer I, every 30 minutes for the slot 30 minutes ahead: each microgrid's prosumers trade
 *   their forecast surplus or deficit in a call market (mechanism of the scenario).
 * - Layer II, every 15 minutes for the quarter 15 minutes ahead: each feeder VPP offers its
 *   prosumers' net unmatched surplus into the ISO's ancillary market at the ISO price and passes
 *   the revenue to the prosumers who supplied it.
 * - Layer III, every 5 minutes: with the actual energies known, a VPP nets its prosumers'
 *   deviations internally at the community price (midway between retail and feed-in); a VPP
 *   short of its commitment or its members' needs bids into a VPP-to-VPP call market (at the
 *   penalty it avoids, or retail), a VPP with excess offers it at the feed-in tariff.
 * - What is still unmatched falls back to the utility: imports at retail, exports at feed-in,
 *   and an undelivered commitment pays the ISO penalty. External money reaches the prosumers
 *   whose remaining deviation caused it, pro rata.
 * Every payment has a payer and a payee among the prosumers, the utility, the ISO and the
 * market operator (MDA surplus), so the day's money sums to zero.
 */
export function simulateP2pDay(s: P2pScenario, options: P2pDayOptions = {}): P2pDayResult {
  const prosumers = options.prosumers ?? syntheticProsumers(s);
  const n = prosumers.length;
  const r = new Prng(s.seed + 7919);
  const ancillary = s.ancillaryPerKwh ?? defaultAncillaryPrices();
  const cash = new Float64Array(n);
  const ledger = { utilityUsd: 0, isoUsd: 0, operatorUsd: 0 };
  const totals = emptyTotals();
  const matched = new Float64Array(n * SLOTS); // Layer I: kWh sold (+) or bought (−) per slot
  const unmatched = new Float64Array(n * SLOTS); // forecast left for the VPP
  const obligation = new Float64Array(n * SLOTS * 2); // Layer II share per quarter, kWh
  const byMicrogrid = group(prosumers, (p) => p.microgrid);
  const byVpp = group(prosumers, (p) => p.vpp);

  for (let slot = 0; slot < SLOTS; slot++) {
    const hour = slot / 2;
    const retail = priceAt(s.retailPerKwh, hour);
    const feedIn = priceAt(s.feedInPerKwh, hour);
    // Layer I, cleared 30 minutes ahead of the slot on forecasts
    for (const members of byMicrogrid) {
      const orders: LimitOrder[] = [];
      for (const p of members) {
        const actual = slotEnergy(prosumers[p], slot);
        const forecast = actual + (s.forecastErrorPct / 100) * (Math.abs(actual) + 0.02) * r.normal();
        unmatched[p * SLOTS + slot] = forecast;
        if (Math.abs(forecast) < 1e-6) continue;
        const spread = (retail - feedIn) * r.uniform(0.1, 0.5);
        orders.push({
          id: String(p),
          side: forecast > 0 ? 'sell' : 'buy',
          type: 'limit',
          timeInForce: 'GTC',
          price: forecast > 0 ? feedIn + spread : retail - spread,
          quantity: Math.abs(forecast),
        });
      }
      const result = clearLayer1(s.layer1Mechanism, orders);
      totals.layer1.markets++;
      for (const t of result.trades) {
        const buyer = Number(t.buyOrderId);
        const seller = Number(t.sellOrderId);
        const paid = (t.buyerPrice ?? t.price) * t.quantity;
        const received = (t.sellerPrice ?? t.price) * t.quantity;
        cash[buyer] -= paid;
        cash[seller] += received;
        ledger.operatorUsd += paid - received;
        matched[buyer * SLOTS + slot] -= t.quantity;
        matched[seller * SLOTS + slot] += t.quantity;
        unmatched[buyer * SLOTS + slot] += t.quantity;
        unmatched[seller * SLOTS + slot] -= t.quantity;
        options.onLayer1Trade?.({
          slot,
          seller,
          buyer,
          kwh: t.quantity,
          buyerUsdPerKwh: t.buyerPrice ?? t.price,
          sellerUsdPerKwh: t.sellerPrice ?? t.price,
        });
        totals.layer1.trades++;
        totals.layer1.kwh += t.quantity;
        totals.layer1.usd += paid;
      }
    }
    // Layer II, 15 minutes ahead of each quarter: the VPP commits its members' net surplus
    for (let half = 0; half < 2; half++) {
      const price = ancillary[Math.floor(hour)];
      for (const members of byVpp) {
        let net = 0;
        let supply = 0;
        for (const p of members) {
          const u = unmatched[p * SLOTS + slot] / 2;
          net += u;
          if (u > 0) supply += u;
        }
        const commit = Math.max(0, net);
        if (commit <= 0 || supply <= 0) continue;
        ledger.isoUsd -= price * commit;
        totals.layer2.kwh += commit;
        totals.layer2.usd += price * commit;
        for (const p of members) {
          const u = unmatched[p * SLOTS + slot] / 2;
          if (u <= 0) continue;
          cash[p] += (price * commit * u) / supply;
          obligation[(p * SLOTS + slot) * 2 + half] = (commit * u) / supply;
        }
      }
    }
  }

  // Layer III and the fallback, every 5 minutes on actual energies
  for (let t = 0; t < TICKS; t++) {
    const hour = t * TICK_HOURS;
    const slot = Math.floor(t / TICKS_PER_SLOT);
    const half = Math.floor(t / TICKS_PER_QUARTER) % 2;
    const prices = {
      retail: priceAt(s.retailPerKwh, hour),
      feedIn: priceAt(s.feedInPerKwh, hour),
      penalty: s.penaltyFactor * ancillary[Math.floor(hour)],
    };
    const books = byVpp.map((members) =>
      vppPositions(members, prosumers, matched, obligation, t, slot, half),
    );
    settleTick(books, prices, cash, ledger, totals);
  }

  return report(s, prosumers, cash, ledger, totals);
}

function clearLayer1(mechanism: P2pScenario['layer1Mechanism'], orders: LimitOrder[]): CallResult {
  if (mechanism === 'pab') return payAsBid(orders);
  if (mechanism === 'mda') return mda(orders);
  if (mechanism === 'merit') return meritOrder(orders);
  return uniformPrice(orders);
}

function slotEnergy(p: Prosumer, slot: number): number {
  let e = 0;
  for (let k = 0; k < TICKS_PER_SLOT; k++) e += p.netKwh[slot * TICKS_PER_SLOT + k];
  return e;
}

function group(prosumers: Prosumer[], key: (p: Prosumer) => number): number[][] {
  const out: number[][] = [];
  prosumers.forEach((p, i) => {
    const k = key(p);
    (out[k] ??= []).push(i);
  });
  return out;
}

function vppPositions(
  members: number[],
  prosumers: Prosumer[],
  matched: Float64Array,
  obligation: Float64Array,
  t: number,
  slot: number,
  half: number,
): VppTick {
  const position = new Float64Array(members.length);
  let obligationKwh = 0;
  members.forEach((p, i) => {
    const owed = obligation[(p * SLOTS + slot) * 2 + half] / TICKS_PER_QUARTER;
    obligationKwh += owed;
    position[i] = prosumers[p].netKwh[t] - matched[p * SLOTS + slot] / TICKS_PER_SLOT - owed;
  });
  return { members, position, obligationKwh };
}
