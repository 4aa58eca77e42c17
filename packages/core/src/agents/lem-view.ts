/** The public part of a LEM clearing as agents read it from `market.cleared`. */
export interface LemPublicResult {
  status: string;
  dlmp?: {
    nodes: string[];
    intervals: { total: number[]; energy: number[]; loss: number[]; congestion: number[] }[];
  };
}

const indexCache = new WeakMap<string[], Map<string, number>>();

function nodeIndex(nodes: string[]): Map<string, number> {
  let m = indexCache.get(nodes);
  if (!m) {
    m = new Map(nodes.map((n, i) => [n.toLowerCase(), i]));
    indexCache.set(nodes, m);
  }
  return m;
}

/** The mean DLMP over a site's phases in one interval of a clearing, $/MWh; undefined where none. */
export function dlmpAt(
  r: LemPublicResult,
  bus: string,
  phases: readonly number[],
  interval: number,
): number | undefined {
  const iv = r.dlmp?.intervals[interval];
  if (!r.dlmp || !iv) return undefined;
  const index = nodeIndex(r.dlmp.nodes);
  let sum = 0;
  let n = 0;
  for (const p of phases) {
    const i = index.get(`${bus.toLowerCase()}.${p}`);
    if (i === undefined) continue;
    sum += iv.total[i];
    n++;
  }
  return n > 0 ? sum / n : undefined;
}

/** The mean DLMP over all nodes of one interval, $/MWh. */
export function meanDlmp(r: LemPublicResult, interval: number): number | undefined {
  const iv = r.dlmp?.intervals[interval];
  if (!iv || iv.total.length === 0) return undefined;
  return iv.total.reduce((a, x) => a + x, 0) / iv.total.length;
}
