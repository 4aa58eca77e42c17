import type { DssCircuitState } from '../grid/dss/index.js';
import { clearMarket, type LemResult, type ParsedOrders } from '../market/index.js';
import type { LpSolver } from '../opt/index.js';
import type { ProsumerSite } from './inventory.js';
import { positionOrder, positionsOf } from './lem-orders.js';
import { type SiteDay, STEPS } from './profiles.js';

/** The real-time market over the day: prices and the deviations it settled. */
export interface RealTimeDay {
  /** the intervals cleared (every `everySteps` five-minute steps) */
  intervals: number;
  /** per cleared interval: lowest, mean and highest DLMP over the feeder, $/MWh */
  dlmpMinUsdPerMwh: number[];
  dlmpMeanUsdPerMwh: number[];
  dlmpMaxUsdPerMwh: number[];
  /** money to participants for their deviations from the day-ahead schedule, $ (negative: they paid) */
  deviationUsd: number;
  relaxedIntervals: number;
}

/**
 * Every `everySteps` five-minute steps, the real-time local market clears the sites' actual
 * positions with the day-ahead schedules held: each position settles its deviation from its
 * day-ahead schedule at the real-time DLMP.
 */
export interface RealTimeTerms {
  isoRealTimeUsdPerMwh: readonly number[];
  retailUsdPerKwh: (hour: number) => number;
  feedInUsdPerKwh: (hour: number) => number;
  voltageLimitsPu: [number, number];
  /** five-minute steps between clears */
  everySteps: number;
}

export async function runRealTime(
  feeder: DssCircuitState,
  sites: readonly ProsumerSite[],
  days: readonly SiteDay[],
  dayAhead: LemResult,
  terms: RealTimeTerms,
  solver: LpSolver,
  onInterval?: (step: number) => void,
): Promise<RealTimeDay> {
  const { isoRealTimeUsdPerMwh, retailUsdPerKwh, feedInUsdPerKwh, voltageLimitsPu, everySteps } = terms;
  const positions = positionsOf(sites);
  const scheduled = new Map(dayAhead.schedules.map((s) => [s.id, s]));
  const out: RealTimeDay = {
    intervals: 0,
    dlmpMinUsdPerMwh: [],
    dlmpMeanUsdPerMwh: [],
    dlmpMaxUsdPerMwh: [],
    deviationUsd: 0,
    relaxedIntervals: 0,
  };
  for (let k = 0; k < STEPS; k += everySteps) {
    const hour = Math.floor(k / 12);
    const orders: ParsedOrders['orders'] = [];
    const schedulesKw: Record<string, number> = {};
    for (const p of positions) {
      let kw = 0;
      for (const i of p.members) kw += days[i].netKw[k];
      if (Math.abs(kw) < 1e-3) continue;
      const o = positionOrder(p, hour, 0, kw, retailUsdPerKwh(hour), feedInUsdPerKwh(hour));
      orders.push(o);
      const da = scheduled.get(o.id);
      // a day-ahead position on the other side is not this order's schedule
      if (da && da.type === o.type) schedulesKw[o.id] = da.kw[hour];
    }
    const r = await clearMarket(
      feeder,
      {
        settings: {
          market: 'rtm',
          intervals: 1,
          intervalMinutes: 5 * everySteps,
          isoPrices: [isoRealTimeUsdPerMwh[hour]],
          loadMultipliers: [0],
          voltageLimitsPu,
          criticalLoading: 0.9,
          dayAhead: { schedulesKw, commitments: {} },
        },
        orders,
        rejected: [],
      },
      solver,
    );
    const prices = r.dlmp.map((d) => d.total);
    out.dlmpMinUsdPerMwh.push(Math.min(...prices));
    out.dlmpMaxUsdPerMwh.push(Math.max(...prices));
    out.dlmpMeanUsdPerMwh.push(prices.reduce((a, x) => a + x, 0) / prices.length);
    for (const line of r.settlement) if (!line.participant.startsWith('(')) out.deviationUsd += line.totalUsd;
    if (r.status !== 'optimal') out.relaxedIntervals++;
    out.intervals++;
    onInterval?.(k);
  }
  return out;
}
