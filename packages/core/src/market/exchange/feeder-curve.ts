import type { CurveStep } from './substation-exchange.js';

/** An order of a feeder's exchange market, as power over the interval. */
export interface FeederOrder {
  id: string;
  side: 'buy' | 'sell';
  kw: number;
  usdPerKwh: number;
}

/** A step of a feeder's curve before the coordinator names its feeder. */
export type FeederStep = Omit<CurveStep, 'feeder'>;

const levelId = (side: 'buy' | 'sell', usdPerKwh: number) => `${side}@${usdPerKwh}`;

/**
 * A feeder's import/export curve from its own market's orders: at a substation price p the
 * feeder imports what its buyers above p want less what its sellers below p offer, which is the
 * orders themselves as steps. They are summed per side and price, so the coordinator sees the
 * feeder's curve, not its participants' orders.
 */
export function feederCurve(orders: readonly FeederOrder[]): FeederStep[] {
  const levels = new Map<string, FeederStep>();
  for (const o of orders) {
    const id = levelId(o.side, o.usdPerKwh);
    const l = levels.get(id);
    if (l) l.kw += o.kw;
    else levels.set(id, { id, side: o.side, kw: o.kw, usdPerKwh: o.usdPerKwh });
  }
  return [...levels.values()];
}

/**
 * Each order's share of what the substation accepted of its step: the orders of one side and
 * price share their level's acceptance pro rata, as the substation's clearing shares a marginal
 * step. Returns kW per order id (0 for an order out of the money), never more than the order's.
 */
export function orderAcceptance(
  orders: readonly FeederOrder[],
  accepted: readonly { id: string; kw: number }[],
): Map<string, number> {
  const levelKw = new Map<string, number>();
  for (const o of orders) {
    const id = levelId(o.side, o.usdPerKwh);
    levelKw.set(id, (levelKw.get(id) ?? 0) + o.kw);
  }
  const got = new Map(accepted.map((a) => [a.id, a.kw]));
  return new Map(
    orders.map((o) => {
      const id = levelId(o.side, o.usdPerKwh);
      // never beyond the order: a curve sent before a crash may hold an order the log lost
      return [o.id, Math.min(1, (got.get(id) ?? 0) / levelKw.get(id)!) * o.kw];
    }),
  );
}
