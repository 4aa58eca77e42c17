/**
 * Minimum-degree ordering of a symmetric sparsity pattern.
 *
 * Distribution feeders are trees or nearly so, where eliminating leaves first produces
 * almost no fill; plain minimum degree finds that order. Adjacency is kept in arrays and
 * merged with a marker array; degrees sit in bucket lists so each step finds a minimum in
 * O(1) amortized. Returns perm (new → old).
 */
export function minimumDegreeOrder(n: number, neighbours: ReadonlyArray<ArrayLike<number>>): Int32Array {
  const adj: number[][] = new Array(n);
  const mark = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const list: number[] = [];
    const nb = neighbours[i];
    mark[i] = i;
    for (let k = 0; k < nb.length; k++) {
      const j = nb[k];
      if (mark[j] !== i) {
        mark[j] = i;
        list.push(j);
      }
    }
    adj[i] = list;
  }
  mark.fill(-1);
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
    degree[v] = adj[v].length;
    link(v);
  }

  const perm = new Int32Array(n);
  let minDeg = 0;
  let stamp = 0;
  for (let k = 0; k < n; k++) {
    while (head[minDeg] < 0) minDeg++;
    const v = head[minDeg];
    unlink(v);
    eliminated[v] = 1;
    perm[k] = v;
    const nb = adj[v].filter((a) => !eliminated[a]);
    for (const a of nb) {
      // adj(a) ← (adj(a) ∪ nb) \ {a, eliminated}
      stamp++;
      const merged: number[] = [];
      mark[a] = stamp;
      for (const b of adj[a]) {
        if (eliminated[b] || mark[b] === stamp) continue;
        mark[b] = stamp;
        merged.push(b);
      }
      for (const b of nb) {
        if (mark[b] === stamp) continue;
        mark[b] = stamp;
        merged.push(b);
      }
      adj[a] = merged;
      unlink(a);
      degree[a] = merged.length;
      link(a);
      if (degree[a] < minDeg) minDeg = degree[a];
    }
    adj[v] = [];
  }
  return perm;
}
