/** Small, dependency-free SVG charts for the report pages. */

export interface Series {
  name: string;
  color: string;
  values: ArrayLike<number>;
  dashed?: boolean;
}

const W = 760;
const H = 260;
const PAD = { left: 56, right: 16, top: 36, bottom: 36 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);

/** Lines over a shared x axis (hours of the day), with a legend and the y range labelled. */
export function lineChart(title: string, yLabel: string, hours: number, series: Series[]): string {
  const all = series.flatMap((s) => Array.from(s.values).filter(Number.isFinite));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const x = (i: number, n: number) => PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, n - 1);
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - lo)) / (hi - lo);
  const paths = series.map((s) => {
    const n = s.values.length;
    const d = Array.from(s.values, (v, i) => `${i ? 'L' : 'M'}${x(i, n).toFixed(1)},${y(v).toFixed(1)}`).join(
      '',
    );
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
  });
  // legend entries laid end to end, wrapping to a second line when the first is full
  let lx = PAD.left;
  let ly = 12;
  const legend = series.map((s) => {
    const width = 14 + 6.5 * s.name.length;
    if (lx + width > W - PAD.right) {
      lx = PAD.left;
      ly += 12;
    }
    const t = `<text x="${lx.toFixed(0)}" y="${ly}" font-size="10" fill="${s.color}">${s.dashed ? '┅' : '■'} ${esc(s.name)}</text>`;
    lx += width;
    return t;
  });
  const ticks = [0, 6, 12, 18, 24].map(
    (h) =>
      `<text x="${(PAD.left + ((W - PAD.left - PAD.right) * h) / hours).toFixed(1)}" y="${H - 18}" font-size="10" text-anchor="middle">${h}h</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
<rect width="100%" height="100%" fill="#fff"/>
<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#333"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#333"/>
<text x="6" y="${PAD.top + 4}" font-size="10">${fmt(hi)}</text><text x="6" y="${H - PAD.bottom}" font-size="10">${fmt(lo)}</text>
<text x="6" y="${H / 2}" font-size="10">${esc(yLabel)}</text>
${ticks.join('')}${legend.join('')}
${paths.join('\n')}
</svg>`;
}

/** A heatmap: one row per label, one column per hour, colour from cool (low) to hot (high). */
export function heatmap(title: string, rows: string[], values: number[][], unit: string): string {
  const cell = Math.max(2, Math.min(8, Math.floor(600 / Math.max(1, rows.length))));
  const cols = values[0]?.length ?? 0;
  const cw = 24;
  const left = 90;
  const height = rows.length * cell + 50;
  const flat = values.flat().filter(Number.isFinite);
  const lo = Math.min(...flat);
  const hi = Math.max(...flat);
  const color = (v: number) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0;
    return `hsl(${(240 * (1 - t)).toFixed(0)},75%,${(45 + 10 * (1 - t)).toFixed(0)}%)`;
  };
  const cells = values.flatMap((row, r) =>
    row.map(
      (v, c) =>
        `<rect x="${left + c * cw}" y="${30 + r * cell}" width="${cw}" height="${cell}" fill="${color(v)}"><title>${esc(rows[r])} ${c}h: ${v.toFixed(2)} ${unit}</title></rect>`,
    ),
  );
  const hours = Array.from({ length: cols }, (_, c) =>
    c % 3 === 0
      ? `<text x="${left + c * cw + cw / 2}" y="24" font-size="10" text-anchor="middle">${c}h</text>`
      : '',
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + cols * cw + 20}" height="${height}" role="img" aria-label="${esc(title)}">
<rect width="100%" height="100%" fill="#fff"/>${hours.join('')}
<text x="4" y="24" font-size="10">${rows.length} buses</text>
<text x="4" y="${height - 6}" font-size="10">${fmt(lo)} – ${fmt(hi)} ${esc(unit)}</text>
${cells.join('')}
</svg>`;
}

/** A histogram of values in equal bins. */
export function histogram(title: string, values: number[], bins: number, unit: string): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  const top = Math.max(...counts);
  const bw = (W - PAD.left - PAD.right) / bins;
  const bars = counts.map((c, i) => {
    const h = ((H - PAD.top - PAD.bottom) * c) / Math.max(1, top);
    return `<rect x="${(PAD.left + i * bw).toFixed(1)}" y="${(H - PAD.bottom - h).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#3b7dd8"><title>${fmt(lo + i * width)}–${fmt(lo + (i + 1) * width)} ${esc(unit)}: ${c}</title></rect>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">
<rect width="100%" height="100%" fill="#fff"/>
<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#333"/>
<text x="${PAD.left}" y="${H - 18}" font-size="10">${fmt(lo)} ${esc(unit)}</text>
<text x="${W - PAD.right}" y="${H - 18}" font-size="10" text-anchor="end">${fmt(hi)} ${esc(unit)}</text>
<text x="6" y="${PAD.top + 4}" font-size="10">${top}</text>
${bars.join('')}
</svg>`;
}
