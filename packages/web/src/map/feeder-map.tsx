import type { FeederMap } from '@gridtier/core/agents';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ColorScale, colorOf } from '../colors.js';
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
 * The feeder drawn from its coordinates or topology. Buses and branches are SVG elements made
 * once per feeder (a bus is a circle with data-bus="name"); a new time or quantity only sets
 * their colours, so a large feeder redraws in milliseconds.
 */
export function FeederMapView(p: MapProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ bus: number; x: number; y: number } | null>(null);
  const layout = useMemo(() => layoutFeeder(p.feeder), [p.feeder]);
  const width = SIZE;
  const height = Math.round(Math.max(320, Math.min(SIZE, SIZE / layout.aspect)));
  const n = p.feeder.buses.length;
  const radius = n > 2000 ? 1.6 : n > 500 ? 2.6 : 4;

  // the elements, once per feeder
  useEffect(() => {
    const root = svg.current!;
    root.replaceChildren();
    const pad = 12;
    const sx = (v: number) => pad + v * (width - 2 * pad);
    const sy = (v: number) => pad + v * (height - 2 * pad);
    const lines = document.createElementNS(SVG_NS, 'g');
    lines.setAttribute('class', 'branches');
    for (const b of p.feeder.branches) {
      const l = document.createElementNS(SVG_NS, 'line');
      l.setAttribute('x1', sx(layout.x[b.from]).toFixed(1));
      l.setAttribute('y1', sy(layout.y[b.from]).toFixed(1));
      l.setAttribute('x2', sx(layout.x[b.to]).toFixed(1));
      l.setAttribute('y2', sy(layout.y[b.to]).toFixed(1));
      l.setAttribute('data-branch', b.name);
      lines.appendChild(l);
    }
    const buses = document.createElementNS(SVG_NS, 'g');
    buses.setAttribute('class', 'buses');
    p.feeder.buses.forEach((b, i) => {
      const c = document.createElementNS(SVG_NS, 'circle');
      c.setAttribute('cx', sx(layout.x[i]).toFixed(1));
      c.setAttribute('cy', sy(layout.y[i]).toFixed(1));
      c.setAttribute('r', String(radius));
      c.setAttribute('data-bus', b.name);
      c.setAttribute('data-i', String(i));
      buses.appendChild(c);
    });
    root.append(lines, buses);
  }, [p.feeder, layout, width, height, radius]);

  // the colours, whenever the values change
  useEffect(() => {
    const root = svg.current!;
    const circles = root.querySelectorAll<SVGCircleElement>('g.buses circle');
    circles.forEach((c, i) => {
      c.setAttribute('fill', colorOf(p.busScale, p.busValues[i]));
    });
    const lines = root.querySelectorAll<SVGLineElement>('g.branches line');
    lines.forEach((l, i) => {
      l.setAttribute('stroke', colorOf(p.branchScale, p.branchValues?.[i] ?? null));
    });
  }, [p.busValues, p.branchValues, p.busScale, p.branchScale, p.feeder]);

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
      <div class="map-canvas">
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
