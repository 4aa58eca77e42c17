import type { FeederMap } from '@gridtier/core/agents';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ColorScale, levelOf, palette } from '../colors.js';
import { ColorBar } from './color-bar.js';
import { layoutFeeder } from './layout.js';
import { MapPainter } from './painter.js';

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
  /** called when a new set of values is on the canvas (drawing is spread over frames) */
  onPainted?: () => void;
}

const SIZE = 900;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The feeder drawn from its coordinates or topology. Colours go on a canvas, redrawn whole for a
 * new time or quantity (thousands of SVG fills restyled would cost a large feeder a third of a
 * second a frame) by a MapPainter that spreads the drawing over frames; over it, one transparent SVG circle per bus, made once per feeder, carries
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

  const painter = useRef<MapPainter | null>(null);
  useLayoutEffect(() => {
    painter.current = new MapPainter(canvas.current!);
    return () => painter.current?.cancel();
  }, []);

  // the colours, whenever the values change: drawn in slices that leave every frame its time
  useLayoutEffect(() => {
    const started = performance.now();
    const circles = svg.current!.querySelectorAll<SVGCircleElement>('g.buses circle');
    const values = p.busValues;
    painter.current!.paint(
      {
        width,
        height,
        px,
        py,
        radius,
        outline: n <= 2000,
        lineWidth: n > 2000 ? 1 : 1.8,
        branches: p.feeder.branches,
        branchLevel: Int16Array.from(p.feeder.branches, (_, k) =>
          levelOf(p.branchScale, p.branchValues?.[k] ?? null),
        ),
        busLevel: Int16Array.from({ length: n }, (_, i) => levelOf(p.busScale, values[i])),
        branchPalette: palette(p.branchScale),
        busPalette: palette(p.busScale),
        // the value drawn, for tests and tools reading the page (no restyling: nothing selects on it)
        onBus: (i) => {
          const v = values[i];
          circles[i]?.setAttribute('data-value', v === null || v === undefined ? '' : String(v));
        },
      },
      (scriptMs) => {
        // how long the colours took (script time, and from the new values to the whole picture), for the map benchmark
        performance.measure('gridtier-map-colour', { start: 0, duration: scriptMs });
        performance.measure('gridtier-map-drawn', { start: started });
        p.onPainted?.();
      },
    );
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
