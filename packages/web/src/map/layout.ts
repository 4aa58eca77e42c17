import type { FeederMap } from '@gridtier/core/agents';

/** Bus positions in a 0…1 square, y downwards, and the drawing's width over its height. */
export interface Layout {
  x: Float64Array;
  y: Float64Array;
  /** width over height of the drawing */
  aspect: number;
}

/**
 * Where to draw each bus: the script's BusCoords when most buses have them (the rest sit at a
 * neighbour's place), otherwise a tree drawn from the topology: the source's bus on the left,
 * each bus one step right of its parent, leaves one below the other, a parent at its children's mean.
 */
export function layoutFeeder(feeder: FeederMap): Layout {
  const n = feeder.buses.length;
  const known = feeder.buses.filter((b) => b.x !== null && b.y !== null).length;
  return known >= n / 2 && known > 1 ? fromCoords(feeder) : fromTopology(feeder);
}

function neighbours(feeder: FeederMap): number[][] {
  const adj: number[][] = feeder.buses.map(() => []);
  for (const b of feeder.branches) {
    adj[b.from].push(b.to);
    adj[b.to].push(b.from);
  }
  return adj;
}

function fromCoords(feeder: FeederMap): Layout {
  const n = feeder.buses.length;
  const x = new Float64Array(n).fill(Number.NaN);
  const y = new Float64Array(n).fill(Number.NaN);
  feeder.buses.forEach((b, i) => {
    if (b.x !== null && b.y !== null) {
      x[i] = b.x;
      y[i] = b.y;
    }
  });
  // buses without coordinates take a placed neighbour's, spreading outwards
  const adj = neighbours(feeder);
  let queue = [...x.keys()].filter((i) => !Number.isNaN(x[i]));
  while (queue.length > 0) {
    const next: number[] = [];
    for (const i of queue)
      for (const j of adj[i])
        if (Number.isNaN(x[j])) {
          x[j] = x[i];
          y[j] = y[i];
          next.push(j);
        }
    queue = next;
  }
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) continue;
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  const w = x1 - x0 || 1;
  const h = y1 - y0 || 1;
  for (let i = 0; i < n; i++) {
    // an island with no coordinates at all sits in the corner
    x[i] = Number.isNaN(x[i]) ? 0 : (x[i] - x0) / w;
    y[i] = Number.isNaN(y[i]) ? 0 : (y1 - y[i]) / h;
  }
  return { x, y, aspect: w / h };
}

function fromTopology(feeder: FeederMap): Layout {
  const n = feeder.buses.length;
  const adj = neighbours(feeder);
  const depth = new Int32Array(n).fill(-1);
  const children: number[][] = feeder.buses.map(() => []);
  const order: number[] = [];
  // every island gets its own tree; the first bus (the source's) starts the first
  for (let root = 0; root < n; root++) {
    if (depth[root] >= 0) continue;
    depth[root] = 0;
    const stack = [root];
    while (stack.length > 0) {
      const i = stack.pop()!;
      order.push(i);
      for (const j of adj[i])
        if (depth[j] < 0) {
          depth[j] = depth[i] + 1;
          children[i].push(j);
          stack.push(j);
        }
    }
  }
  const y = new Float64Array(n);
  let leaves = 0;
  const roots = [...Array(n).keys()].filter((i) => depth[i] === 0);
  const place = (i: number) => {
    // iterative post-order: a bus's y is its children's mean, a leaf takes the next row
    const stack: [number, number][] = [[i, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [b, k] = top;
      if (k < children[b].length) {
        top[1]++;
        stack.push([children[b][k], 0]);
      } else {
        stack.pop();
        y[b] =
          children[b].length === 0
            ? leaves++
            : children[b].reduce((a, c) => a + y[c], 0) / children[b].length;
      }
    }
  };
  roots.forEach(place);
  const maxDepth = Math.max(1, ...depth);
  const rows = Math.max(1, leaves - 1);
  const x = Float64Array.from(depth, (d) => d / maxDepth);
  for (let i = 0; i < n; i++) y[i] /= rows;
  // about 30 px a level across and 6 px a leaf down, within the map's bounds
  return { x, y, aspect: (30 * maxDepth) / (6 * rows) };
}
