import { InvalidValueError, SolverError } from '../../errors/index.js';
import type { DssCircuitState } from '../../grid/dss/index.js';
import { LinearModel, type LpBasis, type LpSolution, type LpSolver, solveAndPrice } from '../../opt/index.js';
import { PRODUCTS } from '../../time/index.js';
import type { ParsedOrders } from '../orders/index.js';
import { crashBasis, extendBasis } from './basis.js';
import { type GridLimit, type ScanResult, scanLimits } from './critical.js';
import { couplesIntervals, intervalMarket, mergeIntervals } from './decompose.js';
import {
  addGridRows,
  addNodeGroups,
  centerGridRows,
  type GridRowInputs,
  type GridRows,
} from './grid-rows.js';
import { IntervalFlow } from './interval-flow.js';
import { LimitSensitivities } from './limit-sensitivities.js';
import { activeIn, addOrderColumns, kwOf, type Located, type OrderColumns } from './order-columns.js';
import { orderTree } from './order-tree.js';
import { type MarketSolution, report } from './report.js';
import { resolveOrders } from './resolve.js';
import type { LemIteration, LemResult, LimitViolation } from './types.js';

/** Full linearizations (new sensitivities) at most, and steps of any kind at most. */
const MAX_LINEARIZATIONS = 6;
const MAX_STEPS = 12;
/**
 * The AC loop stops at a fixed point: the market's linearized substation supply equals the AC
 * power flow's for the cleared schedule within this, in every interval. One watt keeps the
 * market's objective, and so its marginal costs, smooth in the orders down to half a kW.
 */
export const BALANCE_TOLERANCE_KW = 0.001;

export interface ClearOptions {
  /** receives each optimization model as it is built; the last one is the final market's */
  onModel?: (model: LinearModel) => void;
  /**
   * gap allowed between the linearized and the AC substation supply at the end, kW (default
   * BALANCE_TOLERANCE_KW); Infinity stops at the first iterate within limits, as before the
   * fixed point, which benchmarks compare against
   */
  balanceToleranceKw?: number;
  /**
   * every critical limit with sensitivities of its own, as the full model has them; by default
   * the reduced model computes a limit's sensitivities once and again only while it binds (see
   * LimitSensitivities), so the prices are the full model's
   */
  fullModel?: boolean;
  /**
   * false: one model over all intervals even where nothing couples them (by default such a
   * market is cleared interval by interval, and onModel sees each interval's model)
   */
  decompose?: boolean;
}

/**
 * Clears the DSO's local energy market: a MILP/LP over all intervals whose grid constraints are
 * linearized around the AC power flow of the current schedule (losses through loss
 * sensitivities, branch currents and voltages of a critical set through adjoint sensitivities),
 * iterated with the full AC power flow until the schedule respects the limits. Prices are the
 * pricing LP's duals, decomposed per bus and phase into energy, loss and congestion.
 */
export async function clearMarket(
  state: DssCircuitState,
  parsed: ParsedOrders,
  solver: LpSolver,
  options: ClearOptions = {},
): Promise<LemResult> {
  const s = parsed.settings;
  const T = s.intervals ?? (s.market === 'dam' ? PRODUCTS.dayAhead.intervalsPerSession : 1);
  const minutes = s.intervalMinutes ?? (s.market === 'dam' ? 60 : 5);
  const hours = minutes / 60;
  const iso = s.isoPrices ?? [];
  if (iso.length !== T) {
    throw new InvalidValueError(`isoPrices: expected ${T} prices, one per interval, found ${iso.length}`);
  }
  if (s.loadMultipliers && s.loadMultipliers.length !== T) {
    throw new InvalidValueError(`loadMultipliers: expected ${T} values, found ${s.loadMultipliers.length}`);
  }
  if (T > 1 && options.decompose !== false && !couplesIntervals(parsed.orders)) {
    // nothing ties the intervals together: one small market per interval, each its own AC loop
    const parts: LemResult[] = [];
    for (let t = 0; t < T; t++)
      parts.push(await clearMarket(state, intervalMarket(parsed, t), solver, options));
    return mergeIntervals(parsed, parts, minutes);
  }
  const tolerance = options.balanceToleranceKw ?? BALANCE_TOLERANCE_KW;
  const timing = { buildMs: 0, solveMs: 0, powerFlowMs: 0 };
  const t0 = performance.now();
  const flows = Array.from({ length: T }, (_, t) => new IntervalFlow(state, s.loadMultipliers?.[t] ?? 1));
  try {
    return await clearOn(flows, state, parsed, solver, options, { T, hours, tolerance, timing, t0 });
  } finally {
    for (const f of flows) f.release();
  }
}

/** The AC loop of one market on its intervals' flows (see clearMarket). */
async function clearOn(
  flows: IntervalFlow[],
  state: DssCircuitState,
  parsed: ParsedOrders,
  solver: LpSolver,
  options: ClearOptions,
  ctx: { T: number; hours: number; tolerance: number; timing: LemResult['timing']; t0: number },
): Promise<LemResult> {
  const { T, hours, tolerance, timing, t0 } = ctx;
  const s = parsed.settings;
  const { located, rejected } = resolveOrders(flows[0].network, parsed.orders, T, (k) =>
    flows[0].groundOhms(k),
  );
  const pfOptions = {
    maxIterations: Math.max(state.options.maxIterations, 30),
    maxControlIter: Math.max(state.options.maxControlIter, 100),
    tolerance: state.options.tolerance,
  };
  const model = new LinearModel();
  const orders = addOrderColumns(model, located, s, T, hours);
  const groups = addNodeGroups(model, orders.injectors, T, orders.keyCols);
  const mark = model.mark();
  const tree = options.fullModel ? undefined : orderTree(flows[0].network, orderNodes(located));
  const sensitivities = new LimitSensitivities(tree);
  // the first linearization point is the feeder without trades: a grid-blind dispatch would
  // start so far beyond the limits that the linearization misleads the first solves
  let x: ArrayLike<number> = new Float64Array(model.numCols);
  setInjections(flows, located, orders, x);
  timing.buildMs += performance.now() - t0;

  const criticalSets: Map<string, GridLimit>[] = flows.map(() => new Map());
  // every limit in the order it joined, across intervals: its row and slack keep their place in
  // the model from one AC iteration to the next, so the last basis warm-starts the next solve
  const criticalOrder: { t: number; limit: GridLimit }[] = [];
  const iterations: LemIteration[] = [];
  let solution: Solved | undefined;
  // AC solution of the current schedule, then the market around it, until the AC solution of
  // the cleared schedule respects the limits or no new limit turns up
  const scans: ScanResult[] = [];
  const acStep = () => {
    const t1 = performance.now();
    const out = {
      added: 0,
      violations: 0,
      violated: [] as LimitViolation[],
      maxLoading: 0,
      vLo: Number.POSITIVE_INFINITY,
      vHi: 0,
    };
    flows.forEach((f, t) => {
      const scan =
        f.solve(pfOptions) || !scans[t]
          ? scanLimits(f, s.voltageLimitsPu, s.criticalLoading, (key) => criticalSets[t].has(key))
          : scans[t];
      scans[t] = scan;
      out.violations += scan.violations;
      for (const v of scan.violated) out.violated.push({ interval: t, ...v });
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
  const loop: MarketLoop = {
    model,
    mark,
    orders,
    groups,
    flows,
    criticalOrder,
    settings: s,
    hours,
    solver,
    timing,
    options,
    sensitivities,
  };
  let relinearize = true;
  let linearizations = 0;
  let converged = false;
  let mismatchKw = Number.POSITIVE_INFINITY;
  let last: { violated: LimitViolation[] } = { violated: [] };
  for (let it = 1; it <= MAX_STEPS; it++) {
    if (relinearize) {
      linearizations++;
      solution = await solveLinearized(loop, x, solution);
    } else {
      solution = await solveRecentered(loop, x, solution!);
    }
    x = solution.x;
    setInjections(flows, located, orders, x);
    const ac = acStep();
    last = ac;
    mismatchKw = balanceMismatchKw(solution, flows);
    iterations.push({
      iteration: it,
      step: relinearize ? 'linearized' : 'recentered',
      criticalConstraints: criticalSets.reduce((n, m) => n + m.size, 0),
      maxBranchLoading: ac.maxLoading,
      minVoltagePu: ac.vLo,
      maxVoltagePu: ac.vHi,
      violations: ac.violations,
      balanceMismatchKw: mismatchKw,
      objectiveUsd: solution.objective,
    });
    // a binding row built from kept, shared or zero sensitivities would misprice: it becomes exact
    const approximateBinding = sensitivities.bindApproximate(solution.limitRows, solution.rowDual);
    const atFixedPoint = mismatchKw <= tolerance && approximateBinding === 0;
    // within limits, or limits relaxed by their slacks with nothing new to add, at a point where
    // the linearized balance is the AC one: the market's result no longer moves with the iteration
    if (atFixedPoint && (ac.violations === 0 || (ac.added === 0 && solution.status === 'relaxed'))) {
      converged = true;
      break;
    }
    // a limit beyond its bound that the market did not relax needs sensitivities around the new
    // point, and new limits their rows; otherwise the last rows, re-centred on the
    // new AC solution, close the balance gap at a fraction of the cost (a limit that only came
    // near its bound changes no optimum, and one relaxed by its slack is priced as it is)
    relinearize =
      approximateBinding > 0 || (ac.violations > 0 && (ac.added > 0 || solution.status !== 'relaxed'));
    if (relinearize && linearizations >= MAX_LINEARIZATIONS) break;
  }
  const modelSize = {
    reduced: tree?.radial === true,
    columns: model.numCols,
    rows: model.numRows,
    nonzeros: model.numNonzeros,
    limitRows: solution!.limitRows.length,
    adjoints: solution!.adjoints,
  };
  const convergence = {
    converged,
    iterations: iterations.length,
    linearizations,
    balanceToleranceKw: tolerance,
    balanceMismatchKw: mismatchKw,
  };
  return report(
    flows,
    located,
    [...parsed.rejected, ...rejected],
    solution!,
    iterations,
    convergence,
    modelSize,
    last.violated,
    s,
    T,
    hours,
    timing,
  );
}

/** Every node an order injects at or withdraws from. */
function orderNodes(located: Located[]): Set<number> {
  const out = new Set<number>();
  for (const { at, to } of located) for (const k of [...at.nodes, ...(to?.nodes ?? [])]) out.add(k);
  return out;
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

interface Solved extends MarketSolution {
  basis?: LpBasis;
}

/** What every solve of one market's AC loop works on: its model, orders, intervals and solver. */
interface MarketLoop extends GridRowInputs {
  model: LinearModel;
  /** the model's order part ends here; grid rows come after it and are rebuilt */
  mark: { numCols: number; numRows: number };
  orders: OrderColumns;
  solver: LpSolver;
  timing: LemResult['timing'];
  options: ClearOptions;
}

/**
 * One market solve around the current AC solutions (at schedule x0): the order part of the
 * model is kept from the last iteration (rolled back to its mark) and the grid rows are rebuilt.
 */
async function solveLinearized(
  loop: MarketLoop,
  x0: ArrayLike<number>,
  previous: Solved | undefined,
): Promise<Solved> {
  const { model: m, orders, timing } = loop;
  let t0 = performance.now();
  m.rollback(loop.mark);
  const keyCols = new Map(orders.keyCols);
  const grid = addGridRows(m, loop, x0, keyCols);
  timing.buildMs += performance.now() - t0;
  loop.options.onModel?.(m);
  t0 = performance.now();
  const basis = previous ? extendBasis(previous.basis, m) : crashBasis(m, keyCols);
  const { mip, pricing } = await solveAndPrice(loop.solver, m, basis);
  timing.solveMs += performance.now() - t0;
  return solved(orders, grid, mip, pricing);
}

function solved(orders: OrderColumns, grid: GridRows, mip: LpSolution, pricing: LpSolution): Solved {
  if (mip.status !== 'optimal') {
    throw new SolverError(`the market model could not be solved: ${mip.status} (${mip.detail})`, {
      details: { status: mip.status },
    });
  }
  const relaxed = grid.slackCols.some(({ col }) => pricing.x[col] > 1e-6);
  return {
    ...orders,
    ...grid,
    basis: pricing.basis,
    objective: mip.objective,
    x: pricing.x,
    rowDual: pricing.rowDual,
    status: relaxed ? 'relaxed' : 'optimal',
  };
}

/** A step to the fixed point: the same model and sensitivities, re-centred on the latest AC solution. */
async function solveRecentered(loop: MarketLoop, x0: ArrayLike<number>, previous: Solved): Promise<Solved> {
  const { model: m, timing } = loop;
  let t0 = performance.now();
  centerGridRows(m, previous, loop.groups, loop.flows, x0);
  timing.buildMs += performance.now() - t0;
  loop.options.onModel?.(m);
  t0 = performance.now();
  const { mip, pricing } = await solveAndPrice(loop.solver, m, previous.basis);
  timing.solveMs += performance.now() - t0;
  return solved(previous, previous, mip, pricing);
}

/** Largest gap over the intervals between the market's substation supply and the AC one, kW. */
function balanceMismatchKw(sol: Solved, flows: IntervalFlow[]): number {
  let worst = 0;
  flows.forEach((f, t) => {
    worst = Math.max(worst, Math.abs(sol.x[sol.subCols[t]] - f.substationKw()));
  });
  return worst;
}

/** The schedule x (with the fixed bilaterals) becomes the injections of the next AC solution. */
function setInjections(
  flows: IntervalFlow[],
  located: Located[],
  orders: OrderColumns,
  x: ArrayLike<number>,
): void {
  flows.forEach((f) => {
    f.injW.fill(0);
    f.injVar.fill(0);
  });
  applyBilaterals(flows, located);
  for (const inj of orders.injectors) {
    const kw = kwOf(inj, x);
    if (kw === 0) continue;
    const f = flows[inj.t];
    for (const k of inj.at.nodes) {
      f.injW[k] += (kw * 1000) / inj.at.nodes.length;
      f.injVar[k] += (kw * inj.at.qPerP * 1000) / inj.at.nodes.length;
    }
  }
}
