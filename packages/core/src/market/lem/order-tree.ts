import type { Network } from '../../grid/model/index.js';

/**
 * The feeder as a tree rooted at its source, and where the orders sit in it: what the market's
 * reduced model needs to tell limits the orders can move from limits only the feeder's own
 * loads move. On a radial feeder a branch carries exactly what lies below it, so
 *  - a branch with no order below it carries a current the market changes only through the
 *    voltage its loads see (second order): the market takes it as given;
 *  - the buses of a subtree with no order in it move in voltage together with the subtree's
 *    top (they differ by drops the orders do not change): one sensitivity serves them all.
 * A meshed feeder (a loop through other buses) has no such tree: `radial` is false and the
 * market keeps its full model.
 */
export interface OrderTree {
  radial: boolean;
  /** per element: the bus it feeds (the end further from the source), -1 if none */
  fedBus: Int32Array;
  /** per bus: some order sits at it or below it */
  ordersBelow: Uint8Array;
  /**
   * per bus: the bus whose voltage sensitivities it shares, the top of the subtree without
   * orders that holds it, on its own voltage level (phases are numbered per level); itself
   * where an order sits at or below it
   */
  shareTop: Int32Array;
}

export function orderTree(net: Network, orderNodes: Iterable<number>): OrderTree {
  const nb = net.buses.length;
  const parent = new Int32Array(nb).fill(-1);
  const fedBus = new Int32Array(net.elements.length).fill(-1);
  const byBus: number[][] = Array.from({ length: nb }, () => []);
  const busesOf = net.elements.map((el) => [
    ...new Set(el.terminals.map((t) => net.busIndex.get(t.bus.split('.')[0]) ?? -1).filter((b) => b >= 0)),
  ]);
  busesOf.forEach((buses, e) => {
    if (!net.elements[e].isSeries || buses.length < 2) return;
    for (const b of buses) byBus[b].push(e);
  });
  const seen = new Uint8Array(nb);
  const done = new Uint8Array(net.elements.length);
  const order: number[] = [];
  let radial = true;
  for (const src of net.sources) {
    const b = net.busIndex.get(src.terminals[0].bus.split('.')[0]);
    if (b === undefined || seen[b]) continue;
    seen[b] = 1;
    order.push(b);
  }
  // breadth first from the source; each branch is taken once, from the first of its buses reached
  for (let k = 0; k < order.length; k++) {
    const b = order[k];
    for (const e of byBus[b]) {
      if (done[e]) continue;
      done[e] = 1;
      for (const c of busesOf[e]) {
        if (c === b) continue;
        if (seen[c]) {
          // a branch beside the one that fed c (single-phase regulators, parallel lines) feeds
          // the same subtree; reached from elsewhere, c closes a loop
          if (parent[c] === b) {
            if (fedBus[e] < 0) fedBus[e] = c;
          } else radial = false;
          continue;
        }
        seen[c] = 1;
        parent[c] = b;
        if (fedBus[e] < 0) fedBus[e] = c;
        order.push(c);
      }
    }
  }
  const ordersBelow = new Uint8Array(nb);
  for (const k of orderNodes) ordersBelow[net.nodes[k].bus] = 1;
  for (let k = order.length - 1; k > 0; k--) if (ordersBelow[order[k]]) ordersBelow[parent[order[k]]] = 1;
  const shareTop = Int32Array.from({ length: nb }, (_, b) => b);
  const kv = net.busBaseKvLn;
  for (const b of order) {
    const p = parent[b];
    if (p >= 0 && !ordersBelow[b] && !ordersBelow[p] && Math.abs(kv[p] - kv[b]) <= 1e-6 * kv[b])
      shareTop[b] = shareTop[p];
  }
  return { radial, fedBus, ordersBelow, shareTop };
}
