import type { LinearModel } from '../../opt/index.js';
import type { Block } from '../orders/index.js';
import type { Injector, Located } from './order-columns.js';
import type { OrderLocation } from './resolve.js';

/**
 * A block: acceptance a ∈ {0} ∪ [ratio, 1], chosen by a binary y (a = y when the block is all
 * or nothing); its profile scales with a; the limit price applies to the whole block.
 */
export function addBlock(
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
export function linkBlocks(
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
