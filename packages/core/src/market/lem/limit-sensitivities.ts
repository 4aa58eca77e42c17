import type { NodeSensitivities, SparseGradient } from '../../grid/sensitivity/index.js';
import type { Closure } from '../../linalg/index.js';
import type { GridLimit } from './critical.js';
import type { IntervalFlow } from './interval-flow.js';
import type { OrderTree } from './order-tree.js';

/** A full sensitivity: per kW and per kvar injected at every node. */
export interface Sensitivity {
  perKw: Float64Array;
  perKvar: Float64Array;
}

/**
 * A limit row's sensitivity as the market needs it: at its interval's order nodes (what the row's
 * coefficients are), and the gradient it was taken from, from which the prices at every bus and
 * phase follow once the duals are known (none for a limit taken as given).
 */
export interface RowSensitivity {
  at: NodeSensitivities;
  gradient: SparseGradient | undefined;
}

/** The nodes an interval's orders sit at, where its rows' sensitivities are read. */
export interface OrderNodes {
  nodes: number[];
  /** the nodes' closure in the interval's factorization (see Linearization.closure) */
  only: Closure | undefined;
}

/**
 * Where each limit row's sensitivities come from, the reduced model's one decision. An adjoint
 * solve per limit and linearization is the market's main cost on a large feeder, and only the
 * limits that bind reach the prices (through their duals). So the voltages of a subtree without
 * orders share one sensitivity, and a branch current no order can move has none, until such a
 * limit binds: its row is then made exact and the loop goes on, so the final prices are the full
 * model's. (Keeping a non-binding limit's sensitivities from one linearization to the next was
 * tried and dropped: on IEEE 8500 the rows that bind then change from one linearization to the
 * next and the loop no longer converges in six.)
 */
export class LimitSensitivities {
  private readonly exact = new Set<string>();
  private shared = new Map<string, RowSensitivity>();
  /** fresh adjoint solves in the current build */
  adjoints = 0;

  /** tree undefined: the full model, every limit fresh in every linearization */
  constructor(private readonly tree: OrderTree | undefined) {}

  /** A new linearization: shared sensitivities were taken at the last point. */
  begin(): void {
    this.adjoints = 0;
    this.shared = new Map();
  }

  of(
    f: IntervalFlow,
    t: number,
    limit: GridLimit,
    at: OrderNodes,
  ): { sens: RowSensitivity; approximate: boolean } {
    const own = `${t}:${limit.key}`;
    if (this.tree && !this.exact.has(own)) {
      const key = reducedKey(this.tree, f, t, limit);
      if (key === 'given') return { sens: none(at.nodes.length), approximate: true };
      const hit = key === undefined ? undefined : this.shared.get(key);
      if (hit) return { sens: hit, approximate: true };
      const sens = this.fresh(f, limit, at);
      if (key !== undefined) this.shared.set(key, sens);
      return { sens, approximate: false };
    }
    return { sens: this.fresh(f, limit, at), approximate: false };
  }

  /** Marks binding rows built from approximate sensitivities as exact from now on; how many there were. */
  bindApproximate(
    rows: readonly { t: number; row: number; limit: GridLimit; approximate: boolean }[],
    rowDual: ArrayLike<number>,
  ): number {
    let n = 0;
    for (const r of rows) {
      if (!r.approximate || Math.abs(rowDual[r.row]) <= 1e-9) continue;
      this.exact.add(`${r.t}:${r.limit.key}`);
      n++;
    }
    return n;
  }

  private fresh(f: IntervalFlow, limit: GridLimit, at: OrderNodes): RowSensitivity {
    this.adjoints++;
    const lin = f.linearization;
    const gradient =
      limit.kind === 'current'
        ? lin.currentMagnitudeTerms(limit.element, limit.conductor)
        : lin.voltageMagnitudeTerms(limit.node);
    return { at: lin.sensitivitiesAt(gradient, at.nodes, at.only), gradient };
  }
}

/**
 * `given` for a branch current no order can move (nothing below it orders), a key shared by the
 * voltages of an order-free subtree on one voltage level, or undefined for a limit of its own.
 */
function reducedKey(tree: OrderTree, f: IntervalFlow, t: number, limit: GridLimit): string | undefined {
  if (!tree.radial) return undefined;
  if (limit.kind === 'current') {
    const fed = tree.fedBus[limit.element];
    return fed >= 0 && !tree.ordersBelow[fed] ? 'given' : undefined;
  }
  const node = f.network.nodes[limit.node];
  if (tree.ordersBelow[node.bus]) return undefined;
  return `v:${t}:${tree.shareTop[node.bus]}:${node.node}`;
}

function none(n: number): RowSensitivity {
  return { at: { perKw: new Float64Array(n), perKvar: new Float64Array(n) }, gradient: undefined };
}
