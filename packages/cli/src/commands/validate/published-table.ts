import type { PublishedRow } from './published.js';

const exp = (x: number, d: number) => (Number.isNaN(x) ? '-' : x.toExponential(d));

/** The published networks as a Markdown table, one row per network. */
export function publishedTable(rows: PublishedRow[]): string {
  const lines = [
    '| published network | reference | nodes | max dV (pu) | max dAngle (deg) | loss err (%) | iterations (OpenDSS) | ms | result |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.network} | ${r.hasReference ? 'yes' : 'no'} | ${r.nodes} | ${exp(r.maxDvPu, 2)} | ${exp(r.maxDangleDeg, 2)} | ${exp(r.lossErrPct, 2)} | ${r.iterations} | ${r.ms.toFixed(0)} | ${r.status} ${r.note.replaceAll('|', '/')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function publishedCsv(rows: PublishedRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const head =
    'network,script,reference,status,nodes,max_dv_pu,max_dangle_deg,loss_err_pct,iterations,ms,note';
  const lines = rows.map((r) =>
    [
      r.network,
      r.script,
      r.hasReference,
      r.status,
      r.nodes,
      r.maxDvPu,
      r.maxDangleDeg,
      r.lossErrPct,
      r.iterations,
      r.ms.toFixed(1),
      r.note,
    ]
      .map((x) => q(typeof x === 'number' && Number.isNaN(x) ? '' : String(x)))
      .join(','),
  );
  return `${[head, ...lines].join('\n')}\n`;
}
