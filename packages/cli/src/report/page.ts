import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidValueError } from '@gridtier/core/errors';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

let bundle: string | undefined;

/** The dashboard's built script (packages/web); the build (npm run build) makes it. */
export function webBundle(): string {
  if (bundle !== undefined) return bundle;
  const file = fileURLToPath(import.meta.resolve('@gridtier/web/dist/gridtier-web.js'));
  try {
    bundle = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InvalidValueError(`the dashboard's script ${file} is missing: run npm run build`, { cause });
  }
  return bundle;
}

/**
 * A page of the dashboard that opens from disk: its script inline (browsers refuse ES modules
 * from file://) and its data as JSON in the page under `dataId`, which says what the page draws.
 */
export function dashboardPage(title: string, dataId: string, data: unknown): string {
  // `<` escaped, so no text in the data or the script can close their script elements
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const script = webBundle().replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title></head>
<body><div id="app"><noscript>This page draws its charts with JavaScript; the CSV and JSON files beside it hold the same data.</noscript></div>
<script type="application/json" id="${dataId}">${json}</script>
<script>${script}</script>
</body></html>
`;
}

/** A chart as the dashboard's chart page draws it (packages/web's ChartProps). */
export interface ChartSpec {
  title: string;
  x: number[];
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  fromZero?: boolean;
  hours?: boolean;
  series: {
    label: string;
    color: string;
    values: (number | null)[];
    dash?: boolean;
    right?: boolean;
    fill?: boolean;
  }[];
}

/** A page of charts (hems and vpp reports). */
export function chartsPage(title: string, notes: string[], charts: ChartSpec[]): string {
  return dashboardPage(title, 'gridtier-charts', { title, notes, charts });
}

/** At most `points` values: the means of equal runs of xs. */
export function bucketMeans(xs: ArrayLike<number>, points: number): number[] {
  if (xs.length <= points) return Array.from(xs);
  return Array.from({ length: points }, (_, i) => {
    const from = Math.floor((i * xs.length) / points);
    const to = Math.floor(((i + 1) * xs.length) / points);
    let s = 0;
    for (let k = from; k < to; k++) s += xs[k];
    return s / (to - from);
  });
}
