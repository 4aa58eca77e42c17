import { InvalidValueError } from '../../errors/index.js';
import type { DssCircuitState } from '../../grid/dss/index.js';
import { LinearModel, type LpBasis, type LpSolver, solveAndPrice } from '../../opt/index.js';
import type { Block, Generator, MarketSettings, Order, ParsedOrders } from '../orders/index.js';
import { conductorCurrents, type GridLimit, scanLimits } from './critical.js';
import { IntervalFlow } from './interval-flow.js';
import { type OrderLocation, resolveOrders } from './resolve.js';
import type {
  BindingConstraint,
  Dlmp,
  LemIteration,
  LemResult,
  OrderSchedule,
  SettlementLine,
} from './types.js';

/** Penalties of the soft constraints, $/MWh-equivalent: unserved or surplus energy, amperes, per unit volts. */
const VOLL_USD_PER_MWH = 10_000;
const CURRENT_PENALTY_USD_PER_A_H = 1_000;
const VOLTAGE_PENALTY_USD_PER_PU_H = 1_000_000;
const MAX_ITERATIONS = 6;

interface Located {
  order: Order;
  at: OrderLocation;
  to?: OrderLocation;
}

/** One column of the LP that moves power at a location: an offer or bid step, a storage leg. */
interface Injector {
  col: number;
  t: number;
  /** +1 injects (sells), −1 withdraws (buys) */
  sign: 1 | -1;
  at: OrderLocation;
  owner: number;
  /** which leg of a storage unit */
  leg?: 'charge' | 'discharge';
  /** kW per unit of the column (a commitment's minimum output, a block's profile); default 1 */
  scale?: number;
}

const kwOf = (inj: Injector, x: ArrayLike<number>) => inj.sign * (inj.scale ?? 1) * x[inj.col];

const activeIn = (o: Order, t: number) => !o.intervals || o.intervals.includes(t);

/**
 * Clears the DSO's local energy market: a MILP/LP over all intervals whose grid constraints are
 * linearized around the AC power flow of the current schedule (losses through loss
 * sensitivities, branch currents and voltages of a critical set through adjoint sensitivities),
 * iterated with the full AC power flow until the schedule respects the limits. Prices are the
 * pricing LP's duals, decomposed per bus and phase into energy, loss and congestion.
 */
export interface ClearOptions {
  /** receives each optimization model as it is built; the last one is the final market's */
  onModel?: (model: LinearModel) => void;
}

export function clearMarket(
  state: DssCircuitState,
  parsed: ParsedOrders,
  solver: LpSolver,
  options: ClearOptions = {},
): LemResult {
  const s = parsed.settings;
  const T = s.intervals ?? (s.market === 'dam' ? 24 : 1);
  const minutes = s.intervalMinutes ?? (s.market === 'dam' ? 60 : 5);
  const hours = minutes / 60;
  const iso = s.isoPrices ?? [];
  if (iso.length !== T) {
    throw new InvalidValueError(`isoPrices: expected ${T} prices, one per interval, found ${iso.length}`);
  }
  if (s.loadMultipliers && s.loadMultipliers.length !== T) {
    throw new InvalidValueError(`loadMultipliers: expected ${T} values, found ${s.loadMultipliers.length}`);
  }
  const timing = { buildMs: 0, solveMs: 0, powerFlowMs: 0 };
  const t0 = performance.now();
  const flows = Array.from({ length: T }, (_, t) => new IntervalFlow(state, s.loadMultipliers?.[t] ?? 1));
  const { located, rejected } = resolveOrders(flows[0].network, parsed.orders, T, (k) =>
    flows[0].groundOhms(k),
  );
  const pfOptions = {
    maxIterations: Math.max(state.options.maxIterations, 30),
    maxControlIter: state.options.maxControlIter,
    tolerance: state.options.tolerance,
  };
  applyBilaterals(flows, located);
  timing.buildMs += performance.now() - t0;

  const criticalSets: Map<string, GridLimit>[] = flows.map(() => new Map());
  // every limit in the order it joined, across intervals: its row and slack keep their place in
  // the model from one AC iteration to the next, so the last basis warm-starts the next solve
  const criticalOrder: { t: number; limit: GridLimit }[] = [];
  const iterations: LemIteration[] = [];
  let solution: Solved | undefined;
  // AC solution of the current schedule, then the market around it, until the AC solution of
  // the cleared schedule respects the limits or no new limit turns up
  const acStep = () => {
    const t1 = performance.now();
    const out = { added: 0, violations: 0, maxLoading: 0, vLo: Number.POSITIVE_INFINITY, vHi: 0 };
    flows.forEach((f, t) => {
      f.solve(pfOptions);
      const scan = scanLimits(f, s.voltageLimitsPu, s.criticalLoading, (key) => criticalSets[t].has(key));
      out.violations += scan.violations;
      out.maxLoading = Math.max(out.maxLoading, scan.maxLoading);
      out.vLo = Math.min(out.vLo, scan.minVoltagePu);
      out.vHi = Math.max(out.vHi, scan.maxVoltagePu);
      for (const c of scan.critical) {
        if (criticalSets[t].has(c.key)) continue;
        criticalSets[t].set(c.key, c);
        criticalOrder.push({ t, limit: c });
        out.added++;
      }
    });
    timing.powerFlowMs += performance.now() - t1;
    return out;
  };
  acStep();
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    solution = solveLinearized(solution, flows, located, criticalOrder, s, T, hours, solver, timing, options);
    setInjections(flows, located, solution);
    const ac = acStep();
    iterations.push({
      iteration: it,
      criticalConstraints: criticalSets.reduce((n, m) => n + m.size, 0),
      maxBranchLoading: ac.maxLoading,
      minVoltagePu: ac.vLo,
      maxVoltagePu: ac.vHi,
      violations: ac.violations,
      objectiveUsd: solution.objective,
    });
    // within limits: done; limits relaxed by their slacks with nothing new to add: re-linearizing will not help
    if (ac.violations === 0 || (ac.added === 0 && solution.status === 'relaxed')) break;
  }
  return report(
    flows,
    located,
    [...parsed.rejected, ...rejected],
    solution!,
    iterations,
    s,
    T,
    hours,
    timing,
  );
}

/** Fixed bilateral schedules inject at one end and withdraw at the other in every active interval. */
function applyBilaterals(flows: IntervalFlow[], located: Located[]): void {
  for (const { order, at, to } of located) {
    if (order.type !== 'bilateral' || !to) continue;
    flows.forEach((f, t) => {
      if (!activeIn(order, t)) return;
      for (const k of at.nodes) f.injW[k] += (order.quantityKw * 1000) / at.nodes.length;
      for (const k of to.nodes) f.injW[k] -= (order.quantityKw * 1000) / to.nodes.length;
    });
  }
}

interface Solved {
  basis?: LpBasis;
  commitments: Commitment[];
  objective: number;
  x: Float64Array;
  injectors: Injector[];
  socCols: Map<number, number[]>;
  balanceRows: number[];
  subCols: number[];
  gridRows: {
    t: number;
    row: number;
    limit: GridLimit;
    sens: { perKw: Float64Array; perKvar: Float64Array };
  }[];
  rowDual: Float64Array;
  slackCols: { t: number; col: number; name: string }[];
  supplySens: { perKw: Float64Array; perKvar: Float64Array }[];
  status: 'optimal' | 'relaxed' | 'infeasible';
  /** the market's injections at the linearization point, kW per injector column */
  x0: Float64Array;
}

function solveLinearized(
  previousSolution: Solved | undefined,
  flows: IntervalFlow[],
  located: Located[],
  criticalOrder: { t: number; limit: GridLimit }[],
  s: MarketSettings,
  T: number,
  hours: number,
  solver: LpSolver,
  timing: { buildMs: number; solveMs: number; powerFlowMs: number },
  options: ClearOptions,
): Solved {
  let t0 = performance.now();
  const m = new LinearModel();
  const usd = (pricePerMWh: number) => (pricePerMWh * hours) / 1000;
  const injectors: Injector[] = [];
  const socCols = new Map<number, number[]>();
  const commitments: Commitment[] = [];
  const blockCols = new Map<string, { accept: number; chosen: number }>();
  located.forEach(({ order, at }, owner) => {
    if (order.type === 'offer' || order.type === 'bid') {
      const sign = order.type === 'offer' ? 1 : -1;
      const cols: number[] = [];
      for (let t = 0; t < T; t++) {
        if (!activeIn(order, t)) continue;
        order.steps.forEach((st, j) => {
          const col = m.addVariable({
            name: `${order.id}_s${j}_t${t}`,
            upper: st.quantityKw,
            cost: sign * usd(st.price),
          });
          injectors.push({ col, t, sign, at, owner });
          cols.push(col);
        });
      }
      if (order.type === 'offer' && order.maxDailyEnergyKwh !== undefined) {
        m.addConstraint({
          name: `${order.id}_energy`,
          upper: order.maxDailyEnergyKwh,
          terms: cols.map((c): [number, number] => [c, hours]),
        });
      }
    } else if (order.type === 'storage') {
      const socs: number[] = [];
      let prevSoc: number | undefined;
      const cap = order.energyKwh;
      for (let t = 0; t < T; t++) {
        const active = activeIn(order, t);
        const ch = m.addVariable({ name: `${order.id}_ch_t${t}`, upper: active ? order.powerKw : 0 });
        const dis = m.addVariable({
          name: `${order.id}_dis_t${t}`,
          upper: active ? order.powerKw : 0,
          cost: usd(order.cyclingCost),
        });
        const soc = m.addVariable({
          name: `${order.id}_soc_t${t}`,
          lower: (order.minSocPct / 100) * cap,
          upper: (order.maxSocPct / 100) * cap,
        });
        injectors.push({ col: ch, t, sign: -1, at, owner, leg: 'charge' });
        injectors.push({ col: dis, t, sign: 1, at, owner, leg: 'discharge' });
        const init = (order.initialSocPct / 100) * cap;
        const terms: [number, number][] = [
          [soc, 1],
          [ch, -order.chargeEfficiency * hours],
          [dis, hours / order.dischargeEfficiency],
        ];
        if (prevSoc !== undefined) terms.push([prevSoc, -1]);
        const rhs = prevSoc === undefined ? init : 0;
        m.addConstraint({ name: `${order.id}_soc_t${t}`, lower: rhs, upper: rhs, terms });
        socs.push(soc);
        prevSoc = soc;
      }
      socCols.set(owner, socs);
    } else if (order.type === 'generator') {
      addGenerator(m, order, at, owner, T, hours, injectors, commitments, s.dayAhead?.commitments[order.id]);
    } else if (order.type === 'block') {
      blockCols.set(order.id, addBlock(m, order, at, owner, hours, injectors));
    }
  });
  linkBlocks(m, located, blockCols);
  // order columns come first and in the same order every iteration, so the last schedule lines up
  const x0 = new Float64Array(m.numCols);
  const previous = previousSolution?.x;
  if (previous) x0.set(previous.subarray(0, m.numCols));
  // how the substation's supply moves per kW injected anywhere: −1 plus losses plus voltage-dependent loads
  const supplySens = flows.map((f) => f.linearization.sensitivitiesOf(f.linearization.sourcePower()));
  const balanceRows: number[] = [];
  const subCols: number[] = [];
  const slackCols: { t: number; col: number; name: string }[] = [];
  const gridRows: Solved['gridRows'] = [];
  const groupsByT: NodeGroup[][] = [];
  const injectorsByT: Injector[][] = Array.from({ length: T }, () => []);
  for (const inj of injectors) injectorsByT[inj.t].push(inj);
  for (let t = 0; t < T; t++) {
    const f = flows[t];
    const sub = m.addVariable({
      name: `substation_t${t}`,
      lower: -(s.exportLimitKw ?? Number.POSITIVE_INFINITY),
      upper: s.importLimitKw ?? Number.POSITIVE_INFINITY,
      cost: usd(s.isoPrices![t]),
    });
    subCols.push(sub);
    const short = m.addVariable({ name: `unserved_t${t}`, cost: usd(VOLL_USD_PER_MWH) });
    const surplus = m.addVariable({ name: `surplus_t${t}`, cost: usd(VOLL_USD_PER_MWH) });
    slackCols.push(
      { t, col: short, name: 'unserved energy (kW)' },
      { t, col: surplus, name: 'surplus energy (kW)' },
    );
    // orders enter the grid rows through one net-injection variable per node (and power
    // factor), so a limit's row has at most one term per node however many orders there are
    const groups = nodeGroups(m, injectorsByT[t], t, x0);
    groupsByT.push(groups);
    // s − Σ σ_k·z_k = s0 − Σ σ_k·z0_k, σ = d(substation kW)/d(injected kW) ≈ −1
    const supply = supplySens[t];
    const terms: [number, number][] = [
      [sub, 1],
      [short, 1],
      [surplus, -1],
    ];
    let rhs = f.substationKw();
    for (const g of groups) {
      // sensitivities are W per kW
      const a = -(supply.perKw[g.node] + g.qPerP * supply.perKvar[g.node]) / 1000;
      terms.push([g.col, a]);
      rhs += a * g.z0;
    }
    balanceRows.push(m.addConstraint({ name: `balance_t${t}`, lower: rhs, upper: rhs, terms }));
  }

  for (const { t, limit } of criticalOrder) {
    const f = flows[t];
    const groups = groupsByT[t];
    const g =
      limit.kind === 'current'
        ? f.linearization.currentMagnitude(limit.element, limit.conductor)
        : f.linearization.voltageMagnitude(limit.node);
    const sens = f.linearization.sensitivitiesOf(g);
    const value0 =
      limit.kind === 'current'
        ? conductorCurrents(f, limit.element)[limit.conductor]
        : Math.hypot(f.solver.voltages.re[limit.node], f.solver.voltages.im[limit.node]) /
          f.network.nodeBaseV[limit.node];
    const slack = m.addVariable({
      name: `slack_${limit.key.replace(/[^a-z0-9]/gi, '_')}_t${t}`,
      cost:
        limit.kind === 'current' ? CURRENT_PENALTY_USD_PER_A_H * hours : VOLTAGE_PENALTY_USD_PER_PU_H * hours,
    });
    slackCols.push({ t, col: slack, name: limit.name });
    const rowTerms: [number, number][] = [];
    let base = value0;
    for (const g of groups) {
      const c = sens.perKw[g.node] + g.qPerP * sens.perKvar[g.node];
      if (c === 0) continue;
      rowTerms.push([g.col, c]);
      base -= c * g.z0;
    }
    const upper = limit.kind !== 'vmin';
    rowTerms.push([slack, upper ? -1 : 1]);
    const row = m.addConstraint({
      name: `${limit.key.replace(/[^a-z0-9]/gi, '_')}_t${t}`,
      lower: upper ? undefined : limit.limit - base,
      upper: upper ? limit.limit - base : undefined,
      terms: rowTerms,
    });
    gridRows.push({ t, row, limit, sens });
  }
  timing.buildMs += performance.now() - t0;
  options.onModel?.(m);
  t0 = performance.now();
  const { mip, pricing } = solveAndPrice(solver, m, extendBasis(previousSolution?.basis, m));
  timing.solveMs += performance.now() - t0;
  if (mip.status !== 'optimal') {
    throw new InvalidValueError(`the market model could not be solved: ${mip.detail}`);
  }
  const relaxed = slackCols.some(({ col }) => pricing.x[col] > 1e-6);
  return {
    basis: pricing.basis,
    commitments,
    objective: mip.objective,
    x: pricing.x,
    injectors,
    socCols,
    balanceRows,
    subCols,
    gridRows,
    rowDual: pricing.rowDual,
    slackCols,
    supplySens,
    status: relaxed ? 'relaxed' : 'optimal',
    x0,
  };
}

/** The last basis, with the columns and rows added since then as nonbasic and basic. */
function extendBasis(basis: LpBasis | undefined, m: LinearModel): LpBasis | undefined {
  if (!basis || basis.colStatus.length > m.numCols || basis.rowStatus.length > m.numRows) return undefined;
  const colStatus = new Int32Array(m.numCols);
  colStatus.set(basis.colStatus);
  const rowStatus = new Int32Array(m.numRows).fill(1);
  rowStatus.set(basis.rowStatus);
  return { colStatus, rowStatus };
}

/** Net injection (kW) at one node in one interval, the sum of the orders' shares there. */
interface NodeGroup {
  node: number;
  qPerP: number;
  col: number;
  /** its value at the linearization point */
  z0: number;
}

function nodeGroups(m: LinearModel, injectors: Injector[], t: number, x0: Float64Array): NodeGroup[] {
  type Group = { node: number; qPerP: number; terms: [number, number][]; z0: number };
  const byNode = new Map<number, Map<number, Group>>();
  const groups: Group[] = [];
  for (const inj of injectors) {
    const share = (inj.sign * (inj.scale ?? 1)) / inj.at.nodes.length;
    for (const node of inj.at.nodes) {
      let atNode = byNode.get(node);
      if (!atNode) {
        atNode = new Map();
        byNode.set(node, atNode);
      }
      let g = atNode.get(inj.at.qPerP);
      if (!g) {
        g = { node, qPerP: inj.at.qPerP, terms: [], z0: 0 };
        atNode.set(inj.at.qPerP, g);
        groups.push(g);
      }
      g.terms.push([inj.col, -share]);
      g.z0 += share * x0[inj.col];
    }
  }
  return groups.map((g) => {
    const col = m.addVariable({ name: `inj_n${g.node}_t${t}`, lower: Number.NEGATIVE_INFINITY });
    m.addConstraint({ name: `inj_n${g.node}_t${t}_sum`, lower: 0, upper: 0, terms: [[col, 1], ...g.terms] });
    return { node: g.node, qPerP: g.qPerP, col, z0: g.z0 };
  });
}

/** The cleared schedules become the injections of the next AC solution. */
function setInjections(flows: IntervalFlow[], located: Located[], sol: Solved): void {
  flows.forEach((f) => {
    f.injW.fill(0);
    f.injVar.fill(0);
  });
  applyBilaterals(flows, located);
  for (const inj of sol.injectors) {
    const kw = kwOf(inj, sol.x);
    const f = flows[inj.t];
    for (const k of inj.at.nodes) {
      f.injW[k] += (kw * 1000) / inj.at.nodes.length;
      f.injVar[k] += (kw * inj.at.qPerP * 1000) / inj.at.nodes.length;
    }
  }
}

function report(
  flows: IntervalFlow[],
  located: Located[],
  rejected: ParsedOrders['rejected'],
  sol: Solved,
  iterations: LemIteration[],
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
    f.network.nodes.forEach((n, k) => {
      if (n.node < 1 || n.node > 3) return;
      const energy = toPrice(lambda);
      const loss = toPrice(lambda * (-sol.supplySens[t].perKw[k] / 1000 - 1));
      let congestion = 0;
      for (const g of sol.gridRows)
        if (g.t === t) congestion += toPrice(sol.rowDual[g.row] * g.sens.perKw[k]);
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
  const binding: BindingConstraint[] = sol.gridRows
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
    status: sol.status,
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

/** A committed unit's columns: on/off per interval and what its offer costs per unit of each column. */
interface Commitment {
  owner: number;
  uCols: number[];
  costCols: [number, number][];
}

/**
 * A three-part generator: on/off u, start-up v and shut-down w per interval with
 * u_t − u_{t−1} = v_t − w_t; output pMin·u + Σ steps, each step ≤ its size·u; ramps with a
 * start-up or shut-down allowance; minimum up and down times as windows over v and w; an
 * optional daily energy limit.
 */
function addGenerator(
  m: LinearModel,
  g: Generator,
  at: OrderLocation,
  owner: number,
  T: number,
  hours: number,
  injectors: Injector[],
  commitments: Commitment[],
  fixedOn: 0 | 1 | undefined,
): void {
  const usd = (price: number) => (price * hours) / 1000;
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  const outputTerms: [number, number][][] = [];
  const costCols: [number, number][] = [];
  for (let t = 0; t < T; t++) {
    const active = !g.intervals || g.intervals.includes(t);
    const ut = m.addVariable({
      name: `${g.id}_on_t${t}`,
      // a real-time market keeps the day-ahead commitment
      lower: fixedOn ?? 0,
      upper: active ? (fixedOn ?? 1) : 0,
      integer: true,
      cost: g.noLoadCostPerHour * hours + usd(g.minimumPrice) * g.pMinKw,
    });
    const vt = m.addVariable({ name: `${g.id}_start_t${t}`, upper: 1, cost: g.startupCost });
    const wt = m.addVariable({ name: `${g.id}_stop_t${t}`, upper: 1 });
    costCols.push([ut, g.noLoadCostPerHour * hours + usd(g.minimumPrice) * g.pMinKw], [vt, g.startupCost]);
    u.push(ut);
    v.push(vt);
    w.push(wt);
    if (g.pMinKw > 0) injectors.push({ col: ut, t, sign: 1, at, owner, scale: g.pMinKw });
    const terms: [number, number][] = [[ut, g.pMinKw]];
    g.steps.forEach((st, j) => {
      const q = m.addVariable({ name: `${g.id}_s${j}_t${t}`, upper: st.quantityKw, cost: usd(st.price) });
      costCols.push([q, usd(st.price)]);
      m.addConstraint({
        name: `${g.id}_s${j}_t${t}_on`,
        upper: 0,
        terms: [
          [q, 1],
          [ut, -st.quantityKw],
        ],
      });
      injectors.push({ col: q, t, sign: 1, at, owner });
      terms.push([q, 1]);
    });
    outputTerms.push(terms);
    const was = t === 0 ? (g.initiallyOn ? 1 : 0) : undefined;
    m.addConstraint({
      name: `${g.id}_transition_t${t}`,
      lower: was ?? 0,
      upper: was ?? 0,
      terms:
        t === 0
          ? [
              [ut, 1],
              [vt, -1],
              [wt, 1],
            ]
          : [
              [ut, 1],
              [u[t - 1], -1],
              [vt, -1],
              [wt, 1],
            ],
    });
    // ramps between consecutive outputs, relaxed by pMax on the interval a unit starts or stops
    const prev = t === 0 ? undefined : outputTerms[t - 1];
    const initial = t === 0 ? g.initialKw : 0;
    if (g.rampUpKwPerHour !== undefined) {
      m.addConstraint({
        name: `${g.id}_rampup_t${t}`,
        upper: g.rampUpKwPerHour * hours + initial,
        terms: [...terms, ...(prev ?? []).map(([c, a]): [number, number] => [c, -a]), [vt, -g.pMaxKw]],
      });
    }
    if (g.rampDownKwPerHour !== undefined) {
      m.addConstraint({
        name: `${g.id}_rampdown_t${t}`,
        upper: g.rampDownKwPerHour * hours - initial,
        terms: [...terms.map(([c, a]): [number, number] => [c, -a]), ...(prev ?? []), [wt, -g.pMaxKw]],
      });
    }
    const up = Math.ceil(g.minUpHours / hours - 1e-9);
    const down = Math.ceil(g.minDownHours / hours - 1e-9);
    if (up > 1) {
      const window = v.slice(Math.max(0, t - up + 1));
      m.addConstraint({
        name: `${g.id}_minup_t${t}`,
        upper: 0,
        terms: [...window.map((c): [number, number] => [c, 1]), [ut, -1]],
      });
    }
    if (down > 1) {
      const window = w.slice(Math.max(0, t - down + 1));
      m.addConstraint({
        name: `${g.id}_mindown_t${t}`,
        upper: 1,
        terms: [...window.map((c): [number, number] => [c, 1]), [ut, 1]],
      });
    }
  }
  if (g.maxDailyEnergyKwh !== undefined) {
    m.addConstraint({
      name: `${g.id}_energy`,
      upper: g.maxDailyEnergyKwh,
      terms: outputTerms.flat().map(([c, a]): [number, number] => [c, a * hours]),
    });
  }
  commitments.push({ owner, uCols: u, costCols });
}

/**
 * A block: acceptance a ∈ {0} ∪ [ratio, 1], chosen by a binary y (a = y when the block is all
 * or nothing); its profile scales with a; the limit price applies to the whole block.
 */
function addBlock(
  m: LinearModel,
  b: Block,
  at: OrderLocation,
  owner: number,
  hours: number,
  injectors: Injector[],
): { accept: number; chosen: number } {
  const sign = b.side === 'sell' ? 1 : -1;
  const energyMWh = (b.profileKw.reduce((a, q) => a + q, 0) * hours) / 1000;
  const allOrNothing = b.minAcceptanceRatio >= 1;
  const chosen = m.addVariable({
    name: `${b.id}_chosen`,
    upper: 1,
    integer: true,
    cost: allOrNothing ? sign * b.price * energyMWh : 0,
  });
  let accept = chosen;
  if (!allOrNothing) {
    accept = m.addVariable({ name: `${b.id}_accept`, upper: 1, cost: sign * b.price * energyMWh });
    m.addConstraint({
      name: `${b.id}_upto`,
      upper: 0,
      terms: [
        [accept, 1],
        [chosen, -1],
      ],
    });
    m.addConstraint({
      name: `${b.id}_ratio`,
      lower: 0,
      terms: [
        [accept, 1],
        [chosen, -b.minAcceptanceRatio],
      ],
    });
  }
  b.profileKw.forEach((q, i) => {
    if (q > 0)
      injectors.push({ col: accept, t: b.firstInterval + i, sign: sign as 1 | -1, at, owner, scale: q });
  });
  return { accept, chosen };
}

/** Children only with their parents; at most one block of an exclusive group. */
function linkBlocks(
  m: LinearModel,
  located: Located[],
  blocks: Map<string, { accept: number; chosen: number }>,
): void {
  const groups = new Map<string, number[]>();
  for (const { order } of located) {
    if (order.type !== 'block') continue;
    const own = blocks.get(order.id)!;
    if (order.parent) {
      const parent = blocks.get(order.parent);
      if (parent)
        m.addConstraint({
          name: `${order.id}_with_parent`,
          upper: 0,
          terms: [
            [own.chosen, 1],
            [parent.chosen, -1],
          ],
        });
    }
    if (order.exclusiveGroup) {
      const g = groups.get(order.exclusiveGroup) ?? [];
      g.push(own.chosen);
      groups.set(order.exclusiveGroup, g);
    }
  }
  for (const [name, cols] of groups) {
    if (cols.length > 1)
      m.addConstraint({
        name: `exclusive_${name}`,
        upper: 1,
        terms: cols.map((c): [number, number] => [c, 1]),
      });
  }
}
