import { uniformPrice } from '../auction/index.js';
import type { LimitOrder } from '../orders/index.js';
import type { LayerTotals, VppTick } from './types.js';

export interface TickPrices {
  retail: number;
  feedIn: number;
  /** what an undelivered ancillary kWh costs */
  penalty: number;
}

interface External {
  long: number;
  short: number;
  /** money the VPP's long members receive, and its short members pay, outside the VPP */
  longUsd: number;
  shortUsd: number;
}

/**
 * One 5-minute tick after the fact: each VPP nets its members' deviations at the community
 * price; the VPPs' remaining excess and shortfall meet in the Layer III call market (uniform
 * price); what is left goes to the utility (exports at feed-in, imports at retail) and an
 * unmet commitment pays the ISO's penalty. The external money of a VPP goes to its long or
 * short members in proportion to what each still had after netting.
 */
export function settleTick(
  vpps: VppTick[],
  prices: TickPrices,
  cash: Float64Array,
  ledger: { utilityUsd: number; isoUsd: number; operatorUsd: number },
  totals: LayerTotals,
): void {
  const community = (prices.retail + prices.feedIn) / 2;
  const ext: External[] = vpps.map((v) => netInternally(v, community, cash, totals));
  const orders: LimitOrder[] = [];
  // a VPP short of energy first fails its commitment, then draws from the grid
  const undelivered = ext.map((e, i) => Math.min(vpps[i].obligationKwh, e.short));
  const imported = ext.map((e, i) => e.short - undelivered[i]);
  ext.forEach((e, i) => {
    if (e.long > 1e-9) orders.push(limit(`${i}:long`, 'sell', prices.feedIn, e.long));
    // the undelivered commitment is worth the penalty it avoids, the rest what retail would cost
    if (undelivered[i] > 1e-9) orders.push(limit(`${i}:commit`, 'buy', prices.penalty, undelivered[i]));
    if (imported[i] > 1e-9) orders.push(limit(`${i}:import`, 'buy', prices.retail, imported[i]));
  });
  if (orders.some((o) => o.side === 'buy') && orders.some((o) => o.side === 'sell')) {
    const r = uniformPrice(orders);
    totals.layer3.markets++;
    for (const t of r.trades) {
      const seller = Number(t.sellOrderId.split(':')[0]);
      const buyer = Number(t.buyOrderId.split(':')[0]);
      ext[seller].long -= t.quantity;
      ext[seller].longUsd += t.price * t.quantity;
      ext[buyer].short -= t.quantity;
      ext[buyer].shortUsd += t.price * t.quantity;
      if (t.buyOrderId.endsWith(':commit')) undelivered[buyer] -= t.quantity;
      else imported[buyer] -= t.quantity;
      totals.layer3.trades++;
      totals.layer3.kwh += t.quantity;
      totals.layer3.usd += t.price * t.quantity;
    }
  }
  ext.forEach((e, i) => {
    if (e.long > 1e-12) {
      e.longUsd += prices.feedIn * e.long;
      ledger.utilityUsd -= prices.feedIn * e.long;
      totals.fallback.exportKwh += e.long;
      totals.fallback.exportUsd += prices.feedIn * e.long;
    }
    const missing = Math.max(0, undelivered[i]);
    const drawn = Math.max(0, imported[i]);
    e.shortUsd += prices.penalty * missing + prices.retail * drawn;
    ledger.isoUsd += prices.penalty * missing;
    ledger.utilityUsd += prices.retail * drawn;
    totals.fallback.undeliveredKwh += missing;
    totals.fallback.penaltyUsd += prices.penalty * missing;
    totals.fallback.importKwh += drawn;
    totals.fallback.importUsd += prices.retail * drawn;
    distribute(vpps[i], e, cash);
  });
}

function limit(id: string, side: 'buy' | 'sell', price: number, quantity: number): LimitOrder {
  return { id, side, type: 'limit', timeInForce: 'GTC', price, quantity };
}

/** Longs sell to shorts inside the VPP at the community price; returns what is left outside. */
function netInternally(v: VppTick, community: number, cash: Float64Array, totals: LayerTotals): External {
  let long = 0;
  let short = 0;
  for (const x of v.position) {
    if (x > 0) long += x;
    else short -= x;
  }
  const netted = Math.min(long, short);
  if (netted > 0) {
    v.members.forEach((p, i) => {
      const x = v.position[i];
      if (x > 0) cash[p] += (community * netted * x) / long;
      else if (x < 0) cash[p] -= (community * netted * -x) / short;
    });
    totals.netting.kwh += netted;
    totals.netting.usd += community * netted;
  }
  return { long: long - netted, short: short - netted, longUsd: 0, shortUsd: 0 };
}

/** A VPP's external money to the members still long (or short) after netting, pro rata. */
function distribute(v: VppTick, e: External, cash: Float64Array): void {
  let long = 0;
  let short = 0;
  for (const x of v.position) {
    if (x > 0) long += x;
    else short -= x;
  }
  v.members.forEach((p, i) => {
    const x = v.position[i];
    if (x > 0 && e.longUsd !== 0) cash[p] += (e.longUsd * x) / long;
    else if (x < 0 && e.shortUsd !== 0) cash[p] -= (e.shortUsd * -x) / short;
  });
}
