import type { FeederMap } from '@gridtier/core/agents';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ColorScale, levelOf, palette } from '../colors.js';
import { ColorBar } from './color-bar.js';
import { layoutFeeder } from './layout.js';

export interface MapProps {
  feeder: FeederMap;
  /** one value per bus (null: none), coloured on busScale */
  busValues: readonly (number | null)[];
  busScale: ColorScale;
  busLabel: string;
  /** one loading per branch, %, coloured on branchScale (null: not measured) */
  branchValues: readonly (number | null)[] | null;
  branchScale: ColorScale;
  /** the hover text of a bus: its name first, then a line per value */
  describe: (bus: number) => string[];
}

const SIZE = 900;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The feeder drawn from its coordinates or topology. Colours go on a canvas, redrawn whole for a
 * new time or quantity (thousands of SVG fills restyled would cost a large feeder a third of a
 * second a frame); over it, one transparent SVG circle per bus, made once per feeder, carries
 * data-bus="name" and data-value, and answers the pointer.
 */
export function FeederMapView(p: MapProps) {
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ bus: number; x: number; y: number } | null>(null);
  const layout = useMemo(() => layoutFeeder(p.feeder), [p.feeder]);
  const width = SIZE;
  const height = Math.round(Math.max(320, Math.min(SIZE, SIZE / layout.aspect)));
  const n = p.feeder.buses.length;
  const radius = n > 2000 ? 1.6 : n > 500 ? 2.6 : 4;
  const pad = 12;
  const px = useMemo(() => Float64Array.from(layout.x, (v) => pad + v * (width - 2 * pad)), [layout, width]);
  const py = useMemo(
    () => Float64Array.from(layout.y, (v) => pad + v * (height - 2 * pad)),
    [layout, height],
  );

  // the buses' elements, once per feeder (before the colours, which write their values on them)
  useLayoutEffect(() => {
    const root = svg.current!;
    root.replaceChildren();
    const buses = document.createElementNS(SVG_NS, 'g');
    buses.setAttribute('class', 'buses');
    p.feeder.buses.forEach((b, i) => {
      const c = document.createElementNS(SVG_NS, 'circle');
      c.setAttribute('cx', px[i].toFixed(1));
      c.setAttribute('cy', py[i].toFixed(1));
      c.setAttribute('r', String(Math.max(radius, 3)));
      c.setAttribute('data-bus', b.name);
      c.setAttribute('data-i', String(i));
      buses.appendChild(c);
    });
    root.append(buses);
  }, [p.feeder, px, py, radius]);

  // the colours, whenever the values change, before the frame is painted
  useLayoutEffect(() => {
    const started = performance.now();
    const el = canvas.current!;
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== width * dpr) {
      el.width = width * dpr;
      el.height = height * dpr;
    }
    const ctx = el.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    // one path per colour: a few dozen strokes and fills instead of one per element
    const strokes = palette(p.branchScale);
    const lines = strokes.map(() => new Path2D());
    p.feeder.branches.forEach((b, k) => {
      const path = lines.at(levelOf(p.branchScale, p.branchValues?.[k] ?? null))!;
      path.moveTo(px[b.from], py[b.from]);
      path.lineTo(px[b.to], py[b.to]);
    });
    ctx.lineWidth = n > 2000 ? 1.2 : 1.8;
    lines.forEach((path, k) => {
      ctx.strokeStyle = strokes[k];
      ctx.stroke(path);
    });
    const fills = palette(p.busScale);
    const dots = fills.map(() => new Path2D());
    const circles = svg.current!.querySelectorAll<SVGCircleElement>('g.buses circle');
    for (let i = 0; i < n; i++) {
      const v = p.busValues[i];
      const path = dots.at(levelOf(p.busScale, v))!;
      path.moveTo(px[i] + radius, py[i]);
      path.arc(px[i], py[i], radius, 0, 2 * Math.PI);
      // the value drawn, for tests and tools reading the page (no restyling: nothing selects on it)
      circles[i]?.setAttribute('data-value', v === null || v === undefined ? '' : String(v));
    }
    ctx.lineWidth = 0.4;
    ctx.strokeStyle = '#222';
    dots.forEach((path, k) => {
      ctx.fillStyle = fills[k];
      ctx.fill(path);
      if (n <= 2000) ctx.stroke(path);
    });
    // how long the colours took, for the map benchmark (a performance entry costs nothing else)
    performance.measure('gridtier-map-colour', { start: started });
  }, [p.busValues, p.branchValues, p.busScale, p.branchScale, p.feeder, px, py, width, height, radius, n]);

  const onMove = (e: MouseEvent) => {
    const t = e.target as Element;
    const i = t.getAttribute?.('data-i');
    if (i === null || i === undefined) return setHover(null);
    const box = svg.current!.getBoundingClientRect();
    setHover({ bus: Number(i), x: e.clientX - box.left, y: e.clientY - box.top });
  };
  const lines = hover ? p.describe(hover.bus) : [];
  return (
    <div class="map">
      <div class="legend-row">
        <ColorBar scale={p.busScale} label={`buses: ${p.busLabel}`} id="bus" />
        <ColorBar scale={p.branchScale} label="lines: loading, % of normal rating" id="branch" />
      </div>
      <div class="map-canvas" style={{ aspectRatio: `${width} / ${height}`, maxWidth: `${width}px` }}>
        <canvas ref={canvas} />
        <svg
          ref={svg}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`feeder map, ${n} buses`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
        {hover && (
          <div
            class="tooltip"
            style={{ left: `${hover.x + 14}px`, top: `${hover.y + 10}px` }}
            data-tooltip=""
          >
            <b>{lines[0]}</b>
            {lines.slice(1).map((l) => (
              <div key={l}>{l}</div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
