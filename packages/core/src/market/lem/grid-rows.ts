import type { Linearization, SparseGradient } from '../../grid/sensitivity/index.js';
import type { LinearModel } from '../../opt/index.js';
import type { MarketSettings } from '../orders/index.js';
import { conductorCurrents, type GridLimit } from './critical.js';
import type { IntervalFlow } from './interval-flow.js';
import type { LimitSensitivities, OrderNodes, RowSensitivity, Sensitivity } from './limit-sensitivities.js';
import type { Injector } from './order-columns.js';

/** Penalties of the soft constraints, $/MWh-equivalent: unserved or surplus energy, amperes, per unit volts. */
const VOLL_USD_PER_MWH = 10_000;
const CURRENT_PENALTY_USD_PER_A_H = 1_000;
const VOLTAGE_PENALTY_USD_PER_PU_H = 1_000_000;

/** A linearized row's terms: which of its interval's node groups, with what coefficient. */
interface LinearTerms {
  groups: number[];
  coef: number[];
}

/** The grid's part of the market model, rebuilt around each AC solution. */
export interface GridRows {
  balanceRows: number[];
  /** each balance row's terms −σ_k per group: substation kW moved per kW injected */
  balanceTerms: LinearTerms[];
  subCols: number[];
  /** each critical limit's row, with the sensitivities it was built from */
  limitRows: ({
    t: number;
    row: number;
    limit: GridLimit;
    sens: RowSensitivity;
    /** built from a sensitivity the reduced model shares or takes as zero */
    approximate: boolean;
  } & LinearTerms)[];
  slackCols: { t: number; col: number; name: string }[];
  /** sensitivities the limit rows were built from (each an adjoint solve, the model's main cost) */
  adjoints: number;
  /** d(substation kW)/d(injected kW, kvar) per node and interval, W per kW */
  supplySens: Sensitivity[];
  /** per interval, the linearization the rows were built on (the prices are read from it) */
  linearizations: Linearization[];
}

/** What the grid rows of a market are built from, besides the schedule they linearize around. */
export interface GridRowInputs {
  /** node groups per interval */
  groups: NodeGroup[][];
  flows: IntervalFlow[];
  /** every critical limit in the order it joined, across intervals (rows keep their place) */
  criticalOrder: { t: number; limit: GridLimit }[];
  settings: MarketSettings;
  hours: number;
  sensitivities: LimitSensitivities;
}

/**
 * Adds per interval the power balance through the substation (with loss sensitivities) and
 * one row per critical branch current or node voltage, linearized around the AC solution of
 * the schedule x0. Every one has a penalized slack, so the market always returns a schedule.
 */
export function addGridRows(
  m: LinearModel,
  inputs: GridRowInputs,
  x0: ArrayLike<number>,
  keyCols: Map<number, number>,
): GridRows {
  const { groups: groupsByT, flows, criticalOrder, settings: s, hours, sensitivities } = inputs;
  const usd = (pricePerMWh: number) => (pricePerMWh * hours) / 1000;
  // how the substation's supply moves per kW injected anywhere: −1 plus losses plus voltage-dependent loads
  const supplySens = flows.map((f) => f.linearization.sensitivitiesOf(f.linearization.sourcePower()));
  const balanceRows: number[] = [];
  const balanceTerms: LinearTerms[] = [];
  const subCols: number[] = [];
  const slackCols: { t: number; col: number; name: string }[] = [];
  const limitRows: GridRows['limitRows'] = [];
  for (let t = 0; t < flows.length; t++) {
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
    const groups = groupsByT[t];
    // s − Σ σ_k·z_k = s0 − Σ σ_k·z0_k, σ = d(substation kW)/d(injected kW) ≈ −1
    const supply = supplySens[t];
    const terms: LinearTerms = { groups: [], coef: [] };
    groups.forEach((g, i) => {
      // sensitivities are W per kW
      terms.groups.push(i);
      terms.coef.push(-(supply.perKw[g.node] + g.qPerP * supply.perKvar[g.node]) / 1000);
    });
    const cols = [sub, short, surplus, ...terms.groups.map((i) => groups[i].col)];
    const row = m.addRow(`balance_t${t}`, 0, 0, cols, [1, 1, -1, ...terms.coef]);
    balanceRows.push(row);
    balanceTerms.push(terms);
    keyCols.set(row, sub);
  }

  sensitivities.begin();
  const linearizations = flows.map((f) => f.linearization);
  // each interval's order nodes, where its rows' sensitivities are read
  const at = groupsByT.map((groups, t): OrderNodes & { index: Map<number, number> } => {
    const nodes = [...new Set(groups.map((g) => g.node))];
    const index = new Map(nodes.map((k, j) => [k, j]));
    return { nodes, index, only: linearizations[t].closure(nodes) };
  });
  for (const { t, limit } of criticalOrder) {
    const f = flows[t];
    const groups = groupsByT[t];
    const { sens, approximate } = sensitivities.of(f, t, limit, at[t]);
    const name = `${limit.key.replace(/[^a-z0-9]/gi, '_')}_t${t}`;
    const penalty =
      limit.kind === 'current' ? CURRENT_PENALTY_USD_PER_A_H * hours : VOLTAGE_PENALTY_USD_PER_PU_H * hours;
    const terms: LinearTerms = { groups: [], coef: [] };
    groups.forEach((g, i) => {
      const j = at[t].index.get(g.node)!;
      const c = sens.at.perKw[j] + g.qPerP * sens.at.perKvar[j];
      if (c === 0) return;
      terms.groups.push(i);
      terms.coef.push(c);
    });
    const cols = terms.groups.map((i) => groups[i].col);
    const vals = [...terms.coef];
    if (limit.kind !== 'vmin') {
      const slack = m.addVariable({ name: `slack_${name}`, cost: penalty });
      slackCols.push({ t, col: slack, name: limit.name });
      cols.push(slack);
      vals.push(-1);
    }
    if (limit.kind !== 'vmax') {
      const slack = m.addVariable({ name: `slack_${name}_lo`, cost: penalty });
      slackCols.push({
        t,
        col: slack,
        name: limit.kind === 'current' ? `${limit.name} (reversed)` : limit.name,
      });
      cols.push(slack);
      vals.push(1);
    }
    const row = m.addRow(name, 0, 0, cols, vals);
    limitRows.push({ t, row, limit, sens, approximate, ...terms });
  }
  const grid = {
    balanceRows,
    balanceTerms,
    subCols,
    limitRows,
    slackCols,
    supplySens,
    linearizations,
    adjoints: sensitivities.adjoints,
  };
  centerGridRows(m, grid, groupsByT, flows, x0);
  return grid;
}

/**
 * Σ dual × sensitivity per kW at every node of interval t, over its limit rows with a dual: the
 * congestion part of every DLMP. The rows' sensitivities are linear in their gradients, so one
 * adjoint solve of the dual-weighted sum of gradients gives them all.
 */
export function congestionPerKw(grid: GridRows, t: number, rowDual: ArrayLike<number>): Float64Array {
  const lin = grid.linearizations[t];
  const sum: SparseGradient = { nodes: [], re: [], im: [] };
  for (const r of grid.limitRows) {
    const dual = rowDual[r.row];
    if (r.t !== t || dual === 0 || !r.sens.gradient) continue;
    const g = r.sens.gradient;
    for (let j = 0; j < g.nodes.length; j++) {
      sum.nodes.push(g.nodes[j]);
      sum.re.push(dual * g.re[j]);
      sum.im.push(dual * g.im[j]);
    }
  }
  if (sum.nodes.length === 0) return new Float64Array(lin.network.nodes.length);
  return lin.sensitivitiesOf(lin.dense(sum)).perKw;
}

/**
 * Sets the right-hand sides of the grid rows so that the linearization passes through the AC
 * solution of the schedule x0: each row's terms keep their sensitivities, only the point they
 * are taken around moves. Called after the rows are built, and again for a cheaper step to a
 * fixed point when the schedule has moved but the sensitivities hardly change.
 */
export function centerGridRows(
  m: LinearModel,
  grid: GridRows,
  groupsByT: NodeGroup[][],
  flows: IntervalFlow[],
  x0: ArrayLike<number>,
): void {
  // each group's net injection at the linearization point
  const z0 = groupsByT.map((groups) => groups.map((g) => groupKw(g, x0)));
  const lower = m.rowLower;
  const upper = m.rowUpper;
  const atZ0 = (t: number, terms: LinearTerms) => {
    let v = 0;
    for (let i = 0; i < terms.groups.length; i++) v += terms.coef[i] * z0[t][terms.groups[i]];
    return v;
  };
  grid.balanceRows.forEach((row, t) => {
    const rhs = flows[t].substationKw() + atZ0(t, grid.balanceTerms[t]);
    lower[row] = rhs;
    upper[row] = rhs;
  });
  for (const r of grid.limitRows) {
    const { limit, t } = r;
    const f = flows[t];
    const value0 =
      limit.kind === 'current'
        ? conductorCurrents(f, limit.element)[limit.conductor]
        : Math.hypot(f.solver.voltages.re[limit.node], f.solver.voltages.im[limit.node]) /
          f.network.nodeBaseV[limit.node];
    const base = value0 - atZ0(t, r);
    // The linearized magnitude of a current is its projection on the present direction u0,
    // Re(conj(u0)·I) ≤ |I|, so the row relaxes the limit. Bounding the projection from below too
    // (−Imax ≤ Re(conj(u0)·I) ≤ Imax, still a relaxation) sees a flow the market reverses, which
    // the one-sided tangent misses until the next AC iteration.
    const lowerLimit = limit.kind === 'current' ? -limit.limit : limit.limit;
    lower[r.row] = limit.kind !== 'vmax' ? lowerLimit - base : Number.NEGATIVE_INFINITY;
    upper[r.row] = limit.kind !== 'vmin' ? limit.limit - base : Number.POSITIVE_INFINITY;
  }
}

/** Net injection (kW) at one node in one interval, the sum of the orders' shares there. */
export interface NodeGroup {
  node: number;
  qPerP: number;
  col: number;
  /** the order columns summed into it and their kW per unit */
  cols: number[];
  shares: number[];
}

/**
 * Orders enter the grid rows through one net-injection column per node (and power factor) and
 * interval, so a limit's row has at most one term per node however many orders there are.
 * These rows do not depend on the linearization and are built once per market.
 */
export function addNodeGroups(
  m: LinearModel,
  injectors: Injector[],
  T: number,
  keyCols: Map<number, number>,
): NodeGroup[][] {
  const byT: Injector[][] = Array.from({ length: T }, () => []);
  for (const inj of injectors) byT[inj.t].push(inj);
  return byT.map((list, t) => {
    const byNode = new Map<number, Map<number, NodeGroup>>();
    const groups: NodeGroup[] = [];
    for (const inj of list) {
      const share = (inj.sign * (inj.scale ?? 1)) / inj.at.nodes.length;
      for (const node of inj.at.nodes) {
        let atNode = byNode.get(node);
        if (!atNode) {
          atNode = new Map();
          byNode.set(node, atNode);
        }
        let g = atNode.get(inj.at.qPerP);
        if (!g) {
          g = { node, qPerP: inj.at.qPerP, col: -1, cols: [], shares: [] };
          atNode.set(inj.at.qPerP, g);
          groups.push(g);
        }
        g.cols.push(inj.col);
        g.shares.push(share);
      }
    }
    for (const g of groups) {
      g.col = m.addVariable({ name: `inj_n${g.node}_t${t}`, lower: Number.NEGATIVE_INFINITY });
      const row = m.addRow(
        `inj_n${g.node}_t${t}_sum`,
        0,
        0,
        [g.col, ...g.cols],
        [1, ...g.shares.map((a) => -a)],
      );
      keyCols.set(row, g.col);
    }
    return groups;
  });
}

/** A group's net injection in the schedule x, kW. */
function groupKw(g: NodeGroup, x: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < g.cols.length; i++) z += g.shares[i] * x[g.cols[i]];
  return z;
}
