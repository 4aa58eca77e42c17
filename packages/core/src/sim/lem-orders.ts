import type { ParsedOrders } from '../market/index.js';
import type { ProsumerSite } from './inventory.js';
import type { SiteDay } from './profiles.js';

/**
 * The day-ahead local market's orders from the sites' forecasts: per bus, phase set and hour,
 * the sites' netted forecast position, a deficit bid at the retail price (what the buyers would
 * otherwise pay) and a surplus offered at the feed-in price (what the sellers would otherwise
 * get). The feeder's own loads are off: they are the sites' base demand, inside the positions.
 */
/** Sites that share a bus and phases trade as one position there. */
export interface Position {
  key: string;
  bus: string;
  phases: number[];
  members: number[];
}

export function positionsOf(sites: readonly ProsumerSite[]): Position[] {
  const byKey = new Map<string, Position>();
  sites.forEach((s, i) => {
    const key = `${s.bus}|${s.phases.join('.')}`;
    let p = byKey.get(key);
    if (!p) {
      p = { key, bus: s.bus, phases: s.phases, members: [] };
      byKey.set(key, p);
    }
    p.members.push(i);
  });
  return [...byKey.values()];
}

/** A position's order in one interval: a deficit bid at retail, a surplus offered at feed-in. */
export function positionOrder(
  p: Position,
  hour: number,
  interval: number,
  kw: number,
  retailUsdPerKwh: number,
  feedInUsdPerKwh: number,
): ParsedOrders['orders'][number] {
  const deficit = kw < 0;
  return {
    type: deficit ? 'bid' : 'offer',
    id: `${p.key}@${hour}`,
    participant: p.bus,
    bus: p.bus,
    phases: p.phases,
    intervals: [interval],
    steps: [{ price: 1000 * (deficit ? retailUsdPerKwh : feedInUsdPerKwh), quantityKw: Math.abs(kw) }],
  };
}

export function dayAheadOrders(
  sites: readonly ProsumerSite[],
  days: readonly SiteDay[],
  isoUsdPerMwh: readonly number[],
  retailUsdPerKwh: (hour: number) => number,
  feedInUsdPerKwh: (hour: number) => number,
  voltageLimitsPu: [number, number],
): ParsedOrders {
  const orders: ParsedOrders['orders'] = [];
  for (const p of positionsOf(sites))
    for (let h = 0; h < 24; h++) {
      let kw = 0;
      for (const i of p.members) kw += days[i].forecastNetKw[h];
      if (Math.abs(kw) >= 1e-3)
        orders.push(positionOrder(p, h, h, kw, retailUsdPerKwh(h), feedInUsdPerKwh(h)));
    }
  return {
    settings: {
      market: 'dam',
      intervals: 24,
      intervalMinutes: 60,
      isoPrices: [...isoUsdPerMwh],
      loadMultipliers: new Array(24).fill(0),
      voltageLimitsPu,
      criticalLoading: 0.9,
    },
    orders,
    rejected: [],
  };
}
