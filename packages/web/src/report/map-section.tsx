import { useMemo, useState } from 'preact/hooks';
import { loadingScale, viridis } from '../colors.js';
import { clock, fixed } from '../format.js';
import { FeederMapView } from '../map/feeder-map.js';
import { busNodeIndex, type DayData, extent, meanOf } from './day-data.js';

type Quantity = 'voltage' | 'dlmp-da' | 'dlmp-rt';
const LABEL: Record<Quantity, string> = {
  voltage: 'lowest phase voltage, pu',
  'dlmp-da': 'day-ahead DLMP, mean over phases, $/MWh',
  'dlmp-rt': 'real-time DLMP, mean over phases, $/MWh',
};
const PHASE = ['', 'a', 'b', 'c'];

/** The feeder map over the day: a quantity per bus, loading per line, a slider over the five-minute steps. */
export function MapSection({ data }: { data: DayData }) {
  const { view } = data;
  const feeder = view.feeder!;
  const steps = view.busVoltagesPu.length;
  const [step, setStep] = useState(Math.floor(steps * 0.75));
  const [q, setQ] = useState<Quantity>('voltage');
  const nodeIx = useMemo(() => busNodeIndex(feeder.buses, view.dlmp.nodes), [feeder, view]);
  const hourOf = (k: number) => Math.floor((k * view.stepMinutes) / 60);
  const valueAt = (k: number): (number | null)[] => {
    if (q === 'voltage') return feeder.buses.map((_, b) => minOf(view.busVoltagesPu[k]?.[b]));
    const row = q === 'dlmp-da' ? view.dlmp.dayAhead[hourOf(k)]?.total : view.dlmp.realTimeTotal[k];
    return nodeIx.map((ix) => (row ? meanOf(ix.map((i) => (i === undefined ? null : row[i]))) : null));
  };
  // one scale for the whole day, so colours compare across the slider
  const scale = useMemo(() => {
    const all: (number | null)[] = [];
    for (let k = 0; k < steps; k++) all.push(...valueAt(k));
    const [lo, hi] = extent(all);
    return viridis(lo, hi > lo ? hi : lo + 1e-3);
  }, [q, view]);
  const branchScale = useMemo(
    () => loadingScale(Math.max(100, extent(view.branchLoadingPct.flatMap((r) => r ?? []))[1] || 0)),
    [view],
  );
  const values = useMemo(() => valueAt(step), [step, q, view]);
  const describe = (b: number) => {
    const bus = feeder.buses[b];
    const v = view.busVoltagesPu[step]?.[b];
    const da = view.dlmp.dayAhead[hourOf(step)];
    const rt = view.dlmp.realTimeTotal[step];
    return [
      bus.name,
      `voltage, pu: ${bus.phases.map((p, i) => `${PHASE[p]} ${fixed(v?.[i], 4)}`).join(' · ')}`,
      ...bus.phases.flatMap((p, i) => {
        const n = nodeIx[b][i];
        if (n === undefined || !da) return [];
        return [
          `DLMP ${PHASE[p]}, $/MWh: ${fixed(da.total[n])} = energy ${fixed(da.energy[n])} + loss ${fixed(da.loss[n])} + congestion ${fixed(da.congestion[n])} (day ahead, ${clock(hourOf(step) * 60)}); real time ${fixed(rt?.[n])}`,
        ];
      }),
    ];
  };
  return (
    <section id="map">
      <h2>Feeder map</h2>
      <p class="note">
        {feeder.buses.length} buses and {feeder.branches.length} lines and transformers;{' '}
        {feeder.buses.some((b) => b.x !== null)
          ? 'drawn at their BusCoords'
          : 'laid out from the topology (the feeder has no bus coordinates): the substation on the left'}
        . Hover a bus for its phase voltages and its DLMP's parts.
      </p>
      <div class="controls">
        <label>
          colour buses by{' '}
          <select
            value={q}
            onChange={(e) => setQ((e.target as HTMLSelectElement).value as Quantity)}
            data-control="quantity"
          >
            {Object.entries(LABEL).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label class="slider">
          time{' '}
          <input
            type="range"
            min={0}
            max={steps - 1}
            value={step}
            data-control="time"
            onInput={(e) => setStep(Number((e.target as HTMLInputElement).value))}
          />{' '}
          <output data-time="">
            {clock(step * view.stepMinutes)}–{clock((step + 1) * view.stepMinutes)}
          </output>
        </label>
      </div>
      <FeederMapView
        feeder={feeder}
        busValues={values}
        busScale={scale}
        busLabel={LABEL[q]}
        branchValues={view.branchLoadingPct[step]}
        branchScale={branchScale}
        describe={describe}
      />
    </section>
  );
}

const minOf = (xs: number[] | undefined) => (xs && xs.length > 0 ? Math.min(...xs) : null);
