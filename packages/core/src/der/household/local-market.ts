import { uniformPrice } from '../../market/auction/index.js';
import type { HourlyOrder } from './orders.js';
import { HOURS_PER_DAY } from './types.js';

export interface LocalHour {
  hour: number;
  /** the uniform clearing price, $/kWh; null where no bid met an ask */
  clearingUsdPerKwh: number | null;
  tradedKwh: number;
}

export interface LocalMarketResult {
  hours: LocalHour[];
  /** per order id: the energy matched and what it was matched at */
  fills: Map<string, { quantityKwh: number; usd: number }>;
  tradedKwh: number;
}

/**
 * The VDG market of Horta et al. §4.4.1: the households' bids and asks cleared against each
 * other hour by hour in a uniform-price call auction, the price halfway in the clearing range.
 */
export function clearLocalMarket(orders: readonly HourlyOrder[]): LocalMarketResult {
  const byHour = Array.from({ length: HOURS_PER_DAY }, () => [] as HourlyOrder['order'][]);
  for (const o of orders) byHour[o.hour].push(o.order);
  const fills = new Map<string, { quantityKwh: number; usd: number }>();
  const add = (id: string, q: number, usd: number) => {
    const f = fills.get(id) ?? { quantityKwh: 0, usd: 0 };
    f.quantityKwh += q;
    f.usd += usd;
    fills.set(id, f);
  };
  let tradedKwh = 0;
  const hours = byHour.map((hourOrders, hour) => {
    if (hourOrders.length < 2) return { hour, clearingUsdPerKwh: null, tradedKwh: 0 };
    const r = uniformPrice(hourOrders);
    for (const t of r.trades) {
      add(t.buyOrderId, t.quantity, t.quantity * t.price);
      add(t.sellOrderId, t.quantity, t.quantity * t.price);
    }
    tradedKwh += r.volume;
    return { hour, clearingUsdPerKwh: r.trades.length > 0 ? r.clearingPrice : null, tradedKwh: r.volume };
  });
  return { hours, fills, tradedKwh };
}

/**
 * What a household's orders cost it (negative: earned): matched energy at the clearing price,
 * the rest with its supplier at the order's own limit — the limits are what supply costs and
 * what the energy fetches elsewhere (see limitPrices).
 */
export function ordersCostUsd(
  orders: readonly HourlyOrder[],
  fills: ReadonlyMap<string, { quantityKwh: number; usd: number }> = new Map(),
): number {
  let usd = 0;
  for (const { order } of orders) {
    const f = fills.get(order.id) ?? { quantityKwh: 0, usd: 0 };
    const rest = (order.quantity - f.quantityKwh) * (order.price ?? 0);
    usd += order.side === 'buy' ? f.usd + rest : -(f.usd + rest);
  }
  return usd;
}
