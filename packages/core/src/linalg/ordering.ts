/**
 * Minimum-degree ordering of a symmetric sparsity pattern.
 *
 * Distribution feeders are trees or nearly so, where eliminating leaves first produces
 * almost no fill; plain minimum degree finds that order. Degrees are kept in bucket lists
 * so that each step picks a minimum in O(1) amortized. Returns perm (new → old).
 */
export function minimumDegreeOrder(n: number, neighbours: ReadonlyArray<ReadonlyArray<number>>): Int32Array {
  const adj: Set<number>[] = new Array(n);
  for (let i = 0; i < n; i++) adj[i] = new Set(neighbours[i].filter((j) => j !== i));
  const head = new Int32Array(n + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const degree = new Int32Array(n);
  const eliminated = new Uint8Array(n);

  const unlink = (v: number): void => {
    if (prev[v] >= 0) next[prev[v]] = next[v];
    else head[degree[v]] = next[v];
    if (next[v] >= 0) prev[next[v]] = prev[v];
  };
  const link = (v: number): void => {
    const d = degree[v];
    prev[v] = -1;
    next[v] = head[d];
    if (head[d] >= 0) prev[head[d]] = v;
    head[d] = v;
  };
  for (let v = 0; v < n; v++) {
    degree[v] = adj[v].size;
    link(v);
  }

  const perm = new Int32Array(n);
  let minDeg = 0;
  for (let k = 0; k < n; k++) {
    while (head[minDeg] < 0) minDeg++;
    const v = head[minDeg];
    unlink(v);
    eliminated[v] = 1;
    perm[k] = v;
    const nb = [...adj[v]];
    for (const a of nb) {
      adj[a].delete(v);
      for (const b of nb) if (b !== a) adj[a].add(b);
    }
    for (const a of nb) {
      if (eliminated[a]) continue;
      unlink(a);
      degree[a] = adj[a].size;
      link(a);
      if (degree[a] < minDeg) minDeg = degree[a];
    }
    adj[v].clear();
  }
  return perm;
}
