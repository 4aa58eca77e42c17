import type { FeederMap } from './ports.js';

/**
 * The buses at or below (downstream of) any of `buses` on a radial feeder, lower-case: the tree
 * the map's branches make, walked from its source, which is the map's first bus (the script's
 * circuit defines its source bus first). A bus the map does not know is left out.
 */
export function busesDownstream(map: FeederMap, buses: readonly string[]): Set<string> {
  const n = map.buses.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const b of map.branches) {
    neighbours[b.from].push(b.to);
    neighbours[b.to].push(b.from);
  }
  // parents by a breadth-first walk from the source; a meshed branch's far end keeps its first parent
  const children: number[][] = Array.from({ length: n }, () => []);
  const seen = new Uint8Array(n);
  const queue = n > 0 ? [0] : [];
  if (n > 0) seen[0] = 1;
  for (let i = 0; i < queue.length; i++)
    for (const c of neighbours[queue[i]])
      if (!seen[c]) {
        seen[c] = 1;
        children[queue[i]].push(c);
        queue.push(c);
      }
  const index = new Map(map.buses.map((b, i) => [b.name.toLowerCase(), i]));
  const out = new Set<string>();
  const stack = buses.flatMap((b) => index.get(b.toLowerCase()) ?? []);
  while (stack.length > 0) {
    const b = stack.pop()!;
    const name = map.buses[b].name.toLowerCase();
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...children[b]);
  }
  return out;
}
