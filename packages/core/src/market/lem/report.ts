import type { MarketSettings, ParsedOrders } from '../orders/index.js';
import { congestionPerKw, type GridRows } from './grid-rows.js';
import type { IntervalFlow } from './interval-flow.js';
import { activeIn, kwOf, type Located, type OrderColumns } from './order-columns.js';
import type { OrderLocation } from './resolve.js';
import type {
  BindingConstraint,
  Dlmp,
  LemConvergence,
  LemIteration,
  LemModelSize,
  LemResult,
  LemStatus,
  LimitViolation,
  OrderSchedule,
  SettlementLine,
} from './types.js';

/** The market's final solution: its model's parts and the pricing LP's values and duals. */
export interface MarketSolution extends OrderColumns, GridRows {
  objective: number;
  x: Float64Array;
  rowDual: Float64Array;
  status: 'optimal' | 'relaxed';
}

/**
 * Schedules, DLMPs split into energy, loss and congestion, binding limits, slack use and the
 * settlement statement of a solved market.
 */
export function report(
  flows: IntervalFlow[],
  located: Located[],
  rejected: ParsedOrders['rejected'],
  sol: MarketSolution,
  iterations: LemIteration[],
  convergence: LemConvergence,
  model: LemModelSize,
  violations: LimitViolation[],
  s: MarketSettings,
  T: number,
  hours: number,
  timing: LemResult['timing'],
): LemResult {
  const toPrice = (dualPerKwInterval: number) => (dualPerKwInterval * 1000) / hours;
  // DLMP of 1 kW withdrawn at node k: balance dual·(−σ_k) + Σ grid duals·sensitivity_k, where the
  // part of −σ_k beyond 1 is what losses (and voltage-dependent loads) add: the loss component
  const dlmp: Dlmp[] = [];
  const priceAt: Float64Array[] = [];
  flows.forEach((f, t) => {
    const lambda = sol.rowDual[sol.balanceRows[t]];
    const prices = new Float64Array(f.network.nodes.length);
    // Σ duals × sensitivities of the interval's limits with a nonzero dual, per node
    const congestionAt = congestionPerKw(sol, t, sol.rowDual);
    f.network.nodes.forEach((n, k) => {
      if (n.node < 1 || n.node > 3) return;
      const energy = toPrice(lambda);
      const loss = toPrice(lambda * (-sol.supplySens[t].perKw[k] / 1000 - 1));
      const congestion = toPrice(congestionAt[k]);
      prices[k] = energy + loss + congestion;
      dlmp.push({
        interval: t,
        bus: f.network.buses[n.bus],
        phase: n.node,
        total: prices[k],
        energy,
        congestion,
        loss,
      });
    });
    priceAt.push(prices);
  });
  const avgPrice = (t: number, at: OrderLocation) =>
    at.nodes.reduce((a, k) => a + priceAt[t][k], 0) / at.nodes.length;
  const schedules: OrderSchedule[] = located.map(({ order }) => ({
    id: order.id,
    participant: order.participant,
    type: order.type,
    kw: new Array(T).fill(0),
  }));
  const money = new Map<string, SettlementLine>();
  const line = (p: string) => {
    let l = money.get(p);
    if (!l) {
      l = { participant: p, energyKwh: 0, energyUsd: 0, congestionUsd: 0, upliftUsd: 0, totalUsd: 0 };
      money.set(p, l);
    }
    return l;
  };
  for (const inj of sol.injectors) {
    const kw = kwOf(inj, sol.x);
    schedules[inj.owner].kw[inj.t] += kw;
    const l = line(located[inj.owner].order.participant);
    l.energyUsd += ((kw * hours) / 1000) * avgPrice(inj.t, inj.at);
    l.energyKwh += kw * hours;
  }
  // in real time only the deviation from the day-ahead schedule is settled, at the real-time price
  const da = s.dayAhead?.schedulesKw ?? {};
  located.forEach(({ order, at }) => {
    const kwDa = da[order.id];
    if (kwDa === undefined || order.type === 'bilateral') return;
    for (let t = 0; t < T; t++)
      line(order.participant).energyUsd -= ((kwDa * hours) / 1000) * avgPrice(t, at);
  });
  sol.socCols.forEach((cols, owner) => {
    schedules[owner].socKwh = cols.map((c) => sol.x[c]);
  });
  located.forEach(({ order, at, to }, owner) => {
    if (order.type !== 'bilateral' || !to) return;
    for (let t = 0; t < T; t++) {
      if (!activeIn(order, t)) continue;
      schedules[owner].kw[t] = order.quantityKw;
      // moving power from a cheaper to a dearer node is charged the price difference
      line(order.participant).congestionUsd -=
        ((order.quantityKw * hours) / 1000) * (avgPrice(t, to) - avgPrice(t, at));
    }
  });
  // a committed unit whose market revenue falls short of its as-offered cost is made whole
  for (const c of sol.commitments) {
    let revenue = 0;
    let cost = 0;
    for (const inj of sol.injectors) {
      if (inj.owner !== c.owner) continue;
      revenue += ((kwOf(inj, sol.x) * hours) / 1000) * avgPrice(inj.t, inj.at);
    }
    for (const [col, perUnit] of c.costCols) cost += perUnit * sol.x[col];
    const l = line(located[c.owner].order.participant);
    l.upliftUsd += Math.max(0, cost - revenue);
  }
  // the substation trades at the energy price; the feeder's own loads pay their bus-phase prices
  const iso = line('(iso)');
  const feederLoads = line('(feeder loads)');
  const acSubstationKw = flows.map((f) => f.substationKw());
  const energyBalance: LemResult['energyBalance'] = [];
  flows.forEach((f, t) => {
    const sub = sol.x[sol.subCols[t]];
    iso.energyKwh += sub * hours;
    iso.energyUsd += ((sub * hours) / 1000) * toPrice(sol.rowDual[sol.balanceRows[t]]);
    const loadKw = f.loadPowerKw();
    let loadTotal = 0;
    loadKw.forEach((kw, k) => {
      if (kw === 0) return;
      loadTotal += kw;
      feederLoads.energyKwh -= kw * hours;
      feederLoads.energyUsd -= ((kw * hours) / 1000) * priceAt[t][k];
    });
    const marketKw = f.injW.reduce((a, w) => a + w, 0) / 1000;
    const substationKw = acSubstationKw[t];
    energyBalance.push({
      interval: t,
      substationKw,
      marketKw,
      loadKw: loadTotal,
      lossesKw: substationKw + marketKw - loadTotal,
    });
  });
  for (const l of money.values()) l.totalUsd = l.energyUsd + l.congestionUsd + l.upliftUsd;
  const dsoSurplusUsd = -[...money.values()].reduce((a, l) => a + l.totalUsd, 0);
  const commitments = sol.commitments.map((c) => ({
    id: located[c.owner].order.id,
    on: c.uCols.map((col) => (sol.x[col] > 0.5 ? 1 : 0)),
  }));
  const binding: BindingConstraint[] = sol.limitRows
    .filter((g) => Math.abs(sol.rowDual[g.row]) > 1e-9)
    .map((g) => ({
      interval: g.t,
      name: g.limit.name,
      shadowPrice: toPrice(sol.rowDual[g.row]),
      slack: 0,
    }));
  const slackUse = sol.slackCols
    .filter(({ col }) => sol.x[col] > 1e-6)
    .map(({ t, col, name }) => ({ interval: t, name, amount: sol.x[col] }));
  return {
    market: s.market,
    intervals: T,
    intervalHours: hours,
    status: statusOf(sol.status, convergence, violations),
    convergence,
    model,
    violations,
    objectiveUsd: sol.objective,
    schedules,
    commitments,
    substationKw: sol.subCols.map((c) => sol.x[c]),
    acSubstationKw,
    dlmp,
    binding,
    slackUse,
    settlement: [...money.values()],
    dsoSurplusUsd,
    energyBalance,
    iterations,
    rejected,
    timing,
    settings: s,
  };
}

/** The market's status says how the AC loop ended, not only what the last solve found. */
function statusOf(
  solved: 'optimal' | 'relaxed',
  convergence: LemConvergence,
  violations: LimitViolation[],
): LemStatus {
  if (violations.length > 0 && solved !== 'relaxed') return 'limit-violated';
  if (!convergence.converged) return violations.length > 0 ? 'limit-violated' : 'not-converged';
  return solved;
}
