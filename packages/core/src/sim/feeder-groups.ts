import { TopologyError } from '../errors/index.js';
import type { Network } from '../grid/model/index.js';

/**
 * The feeder as a tree from its source: every energized bus with its parent on the path to the
 * substation. A meshed feeder (a closed tie switch) becomes the breadth-first spanning tree; the
 * tie is simply not a tree edge, which is all grouping needs.
 */
export interface FeederTree {
  /** bus index of the source */
  root: number;
  /** parent bus index, −1 at the root and at buses the source does not reach */
  parent: Int32Array;
  /** children of each bus, in the order the feeder's elements reach them */
  children: number[][];
  /** buses the source reaches, root first, each after its parent */
  order: number[];
}

export function feederTree(network: Network): FeederTree {
  const n = network.buses.length;
  const adjacent: number[][] = Array.from({ length: n }, () => []);
  for (const el of network.elements) {
    if (!el.isSeries || el.terminals.length < 2) continue;
    const a = network.busIndex.get(el.terminals[0].bus.toLowerCase());
    if (a === undefined) continue;
    for (const t of el.terminals.slice(1)) {
      const b = network.busIndex.get(t.bus.toLowerCase());
      if (b === undefined || b === a) continue;
      adjacent[a].push(b);
      adjacent[b].push(a);
    }
  }
  const source = network.sources[0];
  const root = source ? network.busIndex.get(source.terminals[0].bus.toLowerCase()) : undefined;
  if (root === undefined) throw new TopologyError('the feeder has no source to group its loads from');
  const dead = new Set(network.deenergizedBuses.map((b) => b.toLowerCase()));
  const parent = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  const order = [root];
  seen[root] = 1;
  for (let i = 0; i < order.length; i++) {
    const v = order[i];
    for (const w of adjacent[v]) {
      if (seen[w] || dead.has(network.buses[w].toLowerCase())) continue;
      seen[w] = 1;
      parent[w] = v;
      children[v].push(w);
      order.push(w);
    }
  }
  return { root, parent, children, order };
}

/** Something to group, placed at a bus of the tree, counted by its weight (sites). */
export interface PlacedItem {
  bus: number;
  weight: number;
}

export interface GroupBounds {
  /** a group grows up to this weight while it can; a bus holding more alone is cut in chunks of it */
  maxWeight: number;
  /** a lateral lighter than this never stands alone: it joins a group of the bus it hangs from */
  minWeight: number;
}

/** One group: its items (indices into the input) and the bus at its top (nearest the source). */
export interface TopologyGroup {
  top: number;
  items: number[];
  weight: number;
}

/**
 * Groups items into connected parts of the tree, leaves first: at each bus the laterals below
 * it join its group lightest first while the group stays within `maxWeight`; a lateral that does
 * not fit becomes a group of its own, whole, so a group is a lateral (or the part of one behind a
 * transformer) and never splits a lateral smaller than the bound. A lateral lighter than
 * `minWeight` is never a group alone: the bus's group so far is closed and the lateral starts
 * the next. Every group stays within `maxWeight`. Items on buses the tree does not reach are
 * left out (group −1 in `groupOf`). Deterministic: ties go by bus index.
 */
export function groupByTopology(
  tree: FeederTree,
  items: readonly PlacedItem[],
  bounds: GroupBounds,
): { groups: TopologyGroup[]; groupOf: Int32Array } {
  const max = Math.max(1, bounds.maxWeight);
  const min = Math.min(Math.max(0, bounds.minWeight), max);
  const at = new Map<number, number[]>();
  items.forEach((it, i) => {
    if (tree.parent[it.bus] === -1 && it.bus !== tree.root) return;
    at.set(it.bus, [...(at.get(it.bus) ?? []), i]);
  });
  const groups: TopologyGroup[] = [];
  const open = new Map<number, { items: number[]; weight: number }>();
  const close = (top: number, b: { items: number[]; weight: number }) => {
    if (b.items.length > 0) groups.push({ top, items: b.items, weight: b.weight });
  };
  for (let k = tree.order.length - 1; k >= 0; k--) {
    const v = tree.order[k];
    const mine = { items: [] as number[], weight: 0 };
    // a bus holding more than a group alone (a big load split in many sites) is cut in chunks
    for (const i of at.get(v) ?? []) {
      if (mine.weight > 0 && mine.weight + items[i].weight > max) {
        close(v, mine);
        mine.items = [];
        mine.weight = 0;
      }
      mine.items.push(i);
      mine.weight += items[i].weight;
    }
    const below = tree.children[v]
      .map((c) => ({ c, b: open.get(c) }))
      .filter((x): x is { c: number; b: { items: number[]; weight: number } } => !!x.b && x.b.weight > 0)
      .sort((x, y) => x.b.weight - y.b.weight || x.c - y.c);
    for (const { c, b } of below) {
      open.delete(c);
      if (mine.weight + b.weight <= max) {
        mine.items.push(...b.items);
        mine.weight += b.weight;
      } else if (b.weight >= min) close(c, b);
      else {
        // a small lateral does not stand alone: what this bus holds so far becomes a group, and
        // the lateral starts the next one here
        close(v, mine);
        mine.items = [...b.items];
        mine.weight = b.weight;
      }
    }
    if (mine.weight > 0) open.set(v, mine);
  }
  const rest = open.get(tree.root);
  if (rest) {
    // what is left at the substation joins the last lateral closed when it is too small alone
    const last = groups.at(-1);
    if (rest.weight < min && last && last.weight + rest.weight <= max) {
      last.items.push(...rest.items);
      last.weight += rest.weight;
      last.top = tree.root;
    } else close(tree.root, rest);
  }
  // numbered from the source outwards, as people read a feeder
  const rank = new Int32Array(tree.parent.length);
  tree.order.forEach((v, i) => {
    rank[v] = i;
  });
  groups.sort((a, b) => rank[a.top] - rank[b.top] || Math.min(...a.items) - Math.min(...b.items));
  for (const g of groups) g.items.sort((a, b) => a - b);
  const groupOf = new Int32Array(items.length).fill(-1);
  groups.forEach((g, gi) => {
    for (const i of g.items) groupOf[i] = gi;
  });
  return { groups, groupOf };
}
