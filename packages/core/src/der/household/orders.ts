import type { TradeOrder } from '../../market/orders/index.js';
import { HOURS_PER_DAY, type Household } from './types.js';

/** A trade order for one delivery hour of the day. */
export interface HourlyOrder {
  hour: number;
  order: TradeOrder;
}

/**
 * The household's limit prices for an hour with a forecast wholesale price: it buys for at most
 * what supply would cost it (the forecast plus the network fee, never above its retail
 * reservation) and sells for at least what the energy is worth elsewhere (the forecast, never
 * below its feed-in tariff). Prices of a call market are not negative, hence the floor at zero.
 */
export function limitPrices(
  household: Household,
  forecastUsdPerKwh: number,
): { buyUsdPerKwh: number; sellUsdPerKwh: number } {
  const wholesale = Math.max(0, forecastUsdPerKwh);
  return {
    buyUsdPerKwh: Math.min(household.reservationUsdPerKwh, wholesale + household.networkFeeUsdPerKwh),
    sellUsdPerKwh: Math.max(household.feedInUsdPerKwh, wholesale),
  };
}

/**
 * One order per hour for a net position (surplus +, deficit −, kWh): an ask for a surplus, a bid
 * for a deficit, none where it is zero. `round` names the market round the orders are for ("da",
 * "id1", …) so ids stay unique over the day.
 */
export function ordersForPositions(
  household: Household,
  netKwh: readonly number[],
  forecastUsdPerKwh: readonly number[],
  round: string,
): HourlyOrder[] {
  const out: HourlyOrder[] = [];
  netKwh.forEach((net, hour) => {
    if (net === 0) return;
    const side = net > 0 ? 'sell' : 'buy';
    const limits = limitPrices(household, forecastUsdPerKwh[hour]);
    out.push({
      hour,
      order: {
        id: `${household.id}-h${hour}-${round}-${side}`,
        side,
        type: 'limit',
        price: side === 'buy' ? limits.buyUsdPerKwh : limits.sellUsdPerKwh,
        quantity: Math.abs(net),
        owner: household.id,
        timeInForce: 'GTC',
      },
    });
  });
  return out;
}

/** What orders commit the household to per hour: energy sold less energy bought, kWh. */
export function committedNetKwh(orders: readonly HourlyOrder[]): number[] {
  const net = new Array<number>(HOURS_PER_DAY).fill(0);
  for (const { hour, order } of orders) net[hour] += order.side === 'sell' ? order.quantity : -order.quantity;
  return net;
}

/** Surplus (+) or deficit (−) per hour: production less inflexible and scheduled load, kWh. */
export function netPositionKwh(
  loadKwh: readonly number[],
  pvKwh: readonly number[],
  scheduledKwh: readonly number[],
): number[] {
  return pvKwh.map((pv, h) => pv - loadKwh[h] - scheduledKwh[h]);
}
