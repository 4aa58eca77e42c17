import type { Order, ParsedOrders, RejectedOrder } from '../orders/index.js';
import { activeIn } from './order-columns.js';
import type { LemResult, LemStatus, OrderSchedule, SettlementLine } from './types.js';

/**
 * Whether anything ties the intervals together: storage (state of charge), generators
 * (commitment, minimum up and down times, ramps), blocks (one acceptance over a profile) and
 * offers with a daily energy limit. Without them the market is one problem per interval, each a
 * twenty-fourth of the size, solved and iterated with the AC power flow on its own.
 */
export function couplesIntervals(orders: readonly Order[]): boolean {
  return orders.some(
    (o) =>
      o.type === 'storage' ||
      o.type === 'generator' ||
      o.type === 'block' ||
      (o.type === 'offer' && o.maxDailyEnergyKwh !== undefined),
  );
}

/** The market of interval t alone: its ISO price and load multiplier, the orders active in it. */
export function intervalMarket(parsed: ParsedOrders, t: number): ParsedOrders {
  const s = parsed.settings;
  return {
    settings: {
      ...s,
      intervals: 1,
      isoPrices: [s.isoPrices![t]],
      ...(s.loadMultipliers ? { loadMultipliers: [s.loadMultipliers[t]] } : {}),
    },
    orders: parsed.orders.filter((o) => activeIn(o, t)).map((o) => ({ ...o, intervals: undefined }) as Order),
    rejected: [],
  };
}

const STATUS_RANK: LemStatus[] = ['optimal', 'relaxed', 'not-converged', 'limit-violated'];

/**
 * The intervals' results as one market's: schedules and prices per interval, money summed per
 * participant, the worst status, and the loop of the interval that took longest.
 */
export function mergeIntervals(parsed: ParsedOrders, parts: LemResult[], intervalMinutes: number): LemResult {
  const T = parts.length;
  const at = <X extends { interval: number }>(list: X[], t: number) =>
    list.map((x) => ({ ...x, interval: t }));
  const rejected = new Map<string, RejectedOrder>();
  for (const r of parsed.rejected) rejected.set(r.id, r);
  for (const p of parts) for (const r of p.rejected) if (!rejected.has(r.id)) rejected.set(r.id, r);
  const schedules = new Map<string, OrderSchedule>();
  for (const o of parsed.orders) {
    if (rejected.has(o.id)) continue;
    schedules.set(o.id, { id: o.id, participant: o.participant, type: o.type, kw: new Array(T).fill(0) });
  }
  const money = new Map<string, SettlementLine>();
  parts.forEach((p, t) => {
    for (const s of p.schedules) {
      const line = schedules.get(s.id);
      if (line) line.kw[t] = s.kw[0];
    }
    for (const l of p.settlement) {
      const m = money.get(l.participant) ?? {
        ...l,
        energyKwh: 0,
        energyUsd: 0,
        congestionUsd: 0,
        upliftUsd: 0,
        totalUsd: 0,
      };
      m.energyKwh += l.energyKwh;
      m.energyUsd += l.energyUsd;
      m.congestionUsd += l.congestionUsd;
      m.upliftUsd += l.upliftUsd;
      m.totalUsd += l.totalUsd;
      money.set(l.participant, m);
    }
  });
  const sum = (f: (p: LemResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const slowest = parts.reduce((a, p) => (p.iterations.length > a.iterations.length ? p : a), parts[0]);
  return {
    market: parsed.settings.market,
    intervals: T,
    intervalHours: intervalMinutes / 60,
    status: parts.reduce<LemStatus>(
      (worst, p) => (STATUS_RANK.indexOf(p.status) > STATUS_RANK.indexOf(worst) ? p.status : worst),
      'optimal',
    ),
    convergence: {
      converged: parts.every((p) => p.convergence.converged),
      iterations: Math.max(...parts.map((p) => p.convergence.iterations)),
      linearizations: Math.max(...parts.map((p) => p.convergence.linearizations)),
      balanceToleranceKw: parts[0].convergence.balanceToleranceKw,
      balanceMismatchKw: Math.max(...parts.map((p) => p.convergence.balanceMismatchKw)),
    },
    model: {
      reduced: parts.every((p) => p.model.reduced),
      columns: sum((p) => p.model.columns),
      rows: sum((p) => p.model.rows),
      nonzeros: sum((p) => p.model.nonzeros),
      limitRows: sum((p) => p.model.limitRows),
      adjoints: sum((p) => p.model.adjoints),
    },
    violations: parts.flatMap((p, t) => at(p.violations, t)),
    objectiveUsd: sum((p) => p.objectiveUsd),
    schedules: [...schedules.values()],
    commitments: [],
    substationKw: parts.map((p) => p.substationKw[0]),
    acSubstationKw: parts.map((p) => p.acSubstationKw[0]),
    dlmp: parts.flatMap((p, t) => at(p.dlmp, t)),
    binding: parts.flatMap((p, t) => at(p.binding, t)),
    slackUse: parts.flatMap((p, t) => at(p.slackUse, t)),
    settlement: [...money.values()],
    dsoSurplusUsd: sum((p) => p.dsoSurplusUsd),
    energyBalance: parts.flatMap((p, t) => at(p.energyBalance, t)),
    iterations: slowest.iterations,
    rejected: [...rejected.values()],
    timing: {
      buildMs: sum((p) => p.timing.buildMs),
      solveMs: sum((p) => p.timing.solveMs),
      powerFlowMs: sum((p) => p.timing.powerFlowMs),
    },
    settings: parsed.settings,
  };
}
