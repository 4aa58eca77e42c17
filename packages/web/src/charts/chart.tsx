import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface SeriesSpec {
  label: string;
  color: string;
  values: readonly (number | null)[];
  dash?: boolean;
  /** the right-hand axis (a second quantity with its own unit) */
  right?: boolean;
  bars?: boolean;
  fill?: boolean;
  /** fill without letting the series below show through (stacked areas) */
  opaque?: boolean;
}

export interface ChartProps {
  title: string;
  x: readonly number[];
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  series: SeriesSpec[];
  /** include 0 in the left axis's range (quantities that start at nothing) */
  fromZero?: boolean;
  /** draw the line x = 0 (histograms of gains and losses) */
  zeroX?: boolean;
  height?: number;
  /** x values as clock times (hours of the day) */
  hours?: boolean;
  /** the x axis's range, when the data's own would hide something (a zero line, a bin's edge) */
  xRange?: [number, number];
}

/** A line through y = 0 and, when asked, x = 0, so sign reads at a glance. */
function zeroLines(zeroX: boolean): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const { left, top, width, height } = u.bbox;
        ctx.save();
        ctx.strokeStyle = '#222';
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([]);
        const y0 = u.valToPos(0, 'y', true);
        if (y0 >= top && y0 <= top + height) {
          ctx.beginPath();
          ctx.moveTo(left, y0);
          ctx.lineTo(left + width, y0);
          ctx.stroke();
        }
        const x0 = u.valToPos(0, 'x', true);
        if (zeroX && x0 >= left && x0 <= left + width) {
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x0, top);
          ctx.lineTo(x0, top + height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

const hourTicks = (_u: uPlot, vals: number[]) =>
  vals.map(
    (v) => `${String(Math.floor(v)).padStart(2, '0')}:${String(Math.round((v % 1) * 60)).padStart(2, '0')}`,
  );

/** A uPlot chart: labelled axes with units, a legend with swatches, zero lines. */
export function Chart(p: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const bars = uPlot.paths.bars?.({ size: [0.9, 40] });
    const opts: uPlot.Options = {
      title: p.title,
      width: Math.min(900, el.current!.clientWidth || 900),
      height: p.height ?? 260,
      plugins: [zeroLines(p.zeroX ?? false)],
      scales: {
        x: { time: false, ...(p.xRange ? { range: () => p.xRange! } : {}) },
        y: {
          range: (_u, lo, hi) => {
            const a = p.fromZero ? Math.min(0, lo) : lo;
            const b = p.fromZero ? Math.max(0, hi) : hi;
            const pad = (b - a) * 0.05 || Math.abs(b) * 0.05 || 1;
            return [p.fromZero && a === 0 ? 0 : a - pad, b + pad];
          },
        },
        ...(p.y2Label
          ? { y2: { range: (_u: uPlot, lo: number, hi: number) => [Math.min(0, lo), hi * 1.05 || 1] } }
          : {}),
      },
      axes: [
        { label: p.xLabel, ...(p.hours ? { values: hourTicks, incrs: [1, 2, 3, 6] } : {}) },
        { label: p.yLabel, scale: 'y', size: 60 },
        ...(p.y2Label ? [{ label: p.y2Label, scale: 'y2', side: 1, grid: { show: false }, size: 60 }] : []),
      ],
      series: [
        { label: p.xLabel },
        ...p.series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: s.bars ? 1 : 1.6,
            scale: s.right ? 'y2' : 'y',
            ...(s.dash ? { dash: [6, 4] } : {}),
            ...(s.bars ? { paths: bars, fill: `${s.color}aa`, points: { show: false } } : {}),
            ...(s.fill ? { fill: `${s.color}${s.opaque ? 'dd' : '33'}` } : {}),
            spanGaps: false,
          }),
        ),
      ],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    const data = [Array.from(p.x), ...p.series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const chart = new uPlot(opts, data, el.current!);
    return () => chart.destroy();
    // drawn again when what it shows changes, not on every render of the page around it
  }, [
    p.title,
    p.x,
    p.series,
    p.xLabel,
    p.yLabel,
    p.y2Label,
    p.fromZero,
    p.zeroX,
    p.height,
    p.hours,
    p.xRange,
  ]);
  return <div class="chart" ref={el} data-chart={p.title} />;
}
