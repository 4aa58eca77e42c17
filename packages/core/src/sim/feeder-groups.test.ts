import { describe, expect, it } from 'vitest';
import { type FeederTree, groupByTopology } from './feeder-groups.js';

/** A tree from parent indices (the root's parent −1), children in index order. */
function tree(parents: number[]): FeederTree {
  const parent = Int32Array.from(parents);
  const children: number[][] = parents.map(() => []);
  parents.forEach((p, v) => {
    if (p >= 0) children[p].push(v);
  });
  const order = [0];
  for (let i = 0; i < order.length; i++) order.push(...children[order[i]]);
  return { root: 0, parent, children, order };
}

// 0 ─ 1 ─ 2 ─ 3          a trunk 0-1-2-3
//     │   └ 4 ─ 5        a lateral at 2: 4, 5
//     └ 6 ─ 7 ─ 8        a lateral at 1: 6, 7, 8
const feeder = tree([-1, 0, 1, 2, 2, 4, 1, 6, 7]);
const sitesAt = (buses: number[]) => buses.map((bus) => ({ bus, weight: 1 }));

describe('grouping sites by the feeder’s laterals', () => {
  it('keeps a lateral whole and in one group when the bound allows', () => {
    const items = sitesAt([3, 3, 5, 5, 4, 8, 8, 7, 6]);
    const { groups, groupOf } = groupByTopology(feeder, items, { maxWeight: 5, minWeight: 1 });
    // the lateral at 1 (6, 7, 8: four sites) and the lateral at 2 (4, 5: three) stay whole
    expect(new Set([5, 6, 7, 8].map((i) => groupOf[i])).size).toBe(1);
    expect(new Set([2, 3, 4].map((i) => groupOf[i])).size).toBe(1);
    for (const g of groups) expect(g.weight).toBeLessThanOrEqual(5);
    expect(groups.reduce((a, g) => a + g.items.length, 0)).toBe(items.length);
    expect([...groupOf].every((g) => g >= 0)).toBe(true);
  });

  it('makes every group a connected part of the tree hanging from its top bus', () => {
    const items = sitesAt([1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 8, 8]);
    const { groups } = groupByTopology(feeder, items, { maxWeight: 3, minWeight: 1 });
    const below = (v: number, top: number): boolean =>
      v === top || (feeder.parent[v] >= 0 && below(feeder.parent[v], top));
    for (const g of groups) for (const i of g.items) expect(below(items[i].bus, g.top)).toBe(true);
    for (const g of groups) expect(g.weight).toBeLessThanOrEqual(3);
  });

  it('never leaves a lateral lighter than the minimum alone below a full group', () => {
    const items = sitesAt([2, 2, 5]);
    const { groups, groupOf } = groupByTopology(feeder, items, { maxWeight: 2, minWeight: 2 });
    // the site at 5 does not fit beside bus 2's two sites: they close as a group at 2, and it
    // goes on towards the source, where it is what is left
    expect(groups.map((g) => [g.top, g.weight])).toEqual([
      [0, 1],
      [2, 2],
    ]);
    expect(groupOf[2]).not.toBe(groupOf[0]);
  });

  it('joins a small lateral to the group of the bus it hangs from when it fits', () => {
    const items = sitesAt([1, 1, 5]);
    const { groups } = groupByTopology(feeder, items, { maxWeight: 3, minWeight: 2 });
    expect(groups).toHaveLength(1);
    expect(groups[0].weight).toBe(3);
  });

  it('cuts a bus holding more sites than a group into chunks of the bound', () => {
    const items = sitesAt(Array.from({ length: 7 }, () => 3));
    const { groups } = groupByTopology(feeder, items, { maxWeight: 3, minWeight: 1 });
    expect(groups.map((g) => g.weight).sort()).toEqual([1, 3, 3]);
  });

  it('leaves out sites on buses the source does not reach', () => {
    const cut = {
      ...feeder,
      parent: Int32Array.from([...feeder.parent, -1]),
      children: [...feeder.children, []],
    };
    const { groupOf } = groupByTopology(cut, sitesAt([3, 9]), { maxWeight: 5, minWeight: 1 });
    expect([...groupOf]).toEqual([0, -1]);
  });
});
