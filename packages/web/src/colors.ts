/** Colour scales: viridis for a quantity (perceptually even, readable in grey), a warm ramp for loading. */

const VIRIDIS = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
];
const LOADING = ['#c8ccd2', '#f2c14e', '#f08a24', '#d7301f', '#7f0000'];

export interface ColorScale {
  stops: readonly string[];
  lo: number;
  hi: number;
}

export const viridis = (lo: number, hi: number): ColorScale => ({ stops: VIRIDIS, lo, hi });
export const loadingScale = (hi: number): ColorScale => ({ stops: LOADING, lo: 0, hi });

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** The colour of value v on the scale (clamped); grey where there is no value. */
export function colorOf(s: ColorScale, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '#bbbbbb';
  const t = s.hi > s.lo ? Math.min(1, Math.max(0, (v - s.lo) / (s.hi - s.lo))) : 0.5;
  const x = t * (s.stops.length - 1);
  const i = Math.min(s.stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = rgb(s.stops[i]);
  const b = rgb(s.stops[i + 1]);
  return `rgb(${a.map((c, k) => Math.round(c + f * (b[k] - c))).join(',')})`;
}

/** Distinct series colours (Tableau 10). */
export const SERIES = [
  '#4e79a7',
  '#e15759',
  '#59a14f',
  '#f28e2b',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#9c755f',
];

/** Steps a drawn scale is cut into: finer than the eye tells apart, few enough to draw a colour at a time. */
export const LEVELS = 64;

/** The step of the scale a value falls in, 0 … LEVELS − 1, or −1 where there is no value. */
export function levelOf(s: ColorScale, v: number | null | undefined): number {
  if (v === null || v === undefined || !Number.isFinite(v)) return -1;
  const t = s.hi > s.lo ? Math.min(1, Math.max(0, (v - s.lo) / (s.hi - s.lo))) : 0.5;
  return Math.min(LEVELS - 1, Math.floor(t * LEVELS));
}

/** The colour of each step, and of no value last. */
export function palette(s: ColorScale): string[] {
  const out = Array.from({ length: LEVELS }, (_, k) =>
    colorOf(s, s.lo + ((k + 0.5) / LEVELS) * (s.hi - s.lo)),
  );
  out.push(colorOf(s, null));
  return out;
}
