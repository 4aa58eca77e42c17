import { type ColorScale, colorOf } from '../colors.js';
import { digitsFor, niceTicks } from '../format.js';

/** A horizontal colour bar with its ticks and the quantity's name and unit. */
export function ColorBar({ scale, label, id }: { scale: ColorScale; label: string; id: string }) {
  const w = 260;
  const ticks = niceTicks(scale.lo, scale.hi, 4);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(scale.hi - scale.lo) || 1;
  const x = (v: number) => (scale.hi > scale.lo ? ((v - scale.lo) / (scale.hi - scale.lo)) * w : w / 2);
  return (
    <svg
      class="colorbar"
      width={w + 40}
      height={46}
      role="img"
      aria-label={`colour bar: ${label}`}
      data-colorbar={id}
    >
      <defs>
        <linearGradient id={`cb-${id}`}>
          {scale.stops.map((_, i) => {
            const v = scale.lo + ((scale.hi - scale.lo) * i) / (scale.stops.length - 1);
            return (
              <stop
                key={i}
                offset={`${(100 * i) / (scale.stops.length - 1)}%`}
                stop-color={colorOf(scale, v)}
              />
            );
          })}
        </linearGradient>
      </defs>
      <text x={20} y={11} font-size="11">
        {label}
      </text>
      <rect x={20} y={15} width={w} height={10} fill={`url(#cb-${id})`} stroke="#555" stroke-width="0.5" />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={20 + x(t)} x2={20 + x(t)} y1={25} y2={29} stroke="#333" />
          <text x={20 + x(t)} y={40} font-size="10" text-anchor="middle">
            {t.toFixed(digitsFor(step))}
          </text>
        </g>
      ))}
    </svg>
  );
}
