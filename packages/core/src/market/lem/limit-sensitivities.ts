import type { GridLimit } from './critical.js';
import type { IntervalFlow } from './interval-flow.js';
import type { OrderTree } from './order-tree.js';

export interface Sensitivity {
  perKw: Float64Array;
  perKvar: Float64Array;
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
  private shared = new Map<string, Sensitivity>();
  /** fresh adjoint solves in the current build */
  adjoints = 0;

  /** tree undefined: the full model, every limit fresh in every linearization */
  constructor(private readonly tree: OrderTree | undefined) {}

  /** A new linearization: shared sensitivities were taken at the last point. */
  begin(): void {
    this.adjoints = 0;
    this.shared = new Map();
  }

  of(f: IntervalFlow, t: number, limit: GridLimit): { sens: Sensitivity; approximate: boolean } {
    const own = `${t}:${limit.key}`;
    if (this.tree && !this.exact.has(own)) {
      const key = reducedKey(this.tree, f, t, limit);
      if (key === 'given') return { sens: none(f.network.nodes.length), approximate: true };
      const hit = key === undefined ? undefined : this.shared.get(key);
      if (hit) return { sens: hit, approximate: true };
      const sens = this.fresh(f, limit);
      if (key !== undefined) this.shared.set(key, sens);
      return { sens, approximate: false };
    }
    return { sens: this.fresh(f, limit), approximate: false };
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

  private fresh(f: IntervalFlow, limit: GridLimit): Sensitivity {
    this.adjoints++;
    const lin = f.linearization;
    return lin.sensitivitiesOf(
      limit.kind === 'current'
        ? lin.currentMagnitude(limit.element, limit.conductor)
        : lin.voltageMagnitude(limit.node),
    );
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

function none(n: number): Sensitivity {
  return { perKw: new Float64Array(n), perKvar: new Float64Array(n) };
}
