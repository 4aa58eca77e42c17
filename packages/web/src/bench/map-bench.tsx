import type { FeederMap } from '@gridtier/core/agents';
import { useEffect, useState } from 'preact/hooks';
import { loadingScale, viridis } from '../colors.js';
import { FeederMapView } from '../map/feeder-map.js';

/** The page a map benchmark embeds: a feeder and, per update, a value per bus and branch. */
export interface MapBenchData {
  feeder: FeederMap;
  frames: { bus: number[]; branch: number[] }[];
}

export const MAP_BENCH_ID = 'gridtier-map';

declare global {
  interface Window {
    gridtierMapBench?: { drawnMs: number; updatesMs: number[] };
  }
}

/**
 * The feeder map alone, timed: when its first frame is painted (from the page's navigation
 * start: script, data and drawing), then each later set of values until it is painted. The
 * times land on window.gridtierMapBench for the benchmark to read.
 */
export function MapBench({ data }: { data: MapBenchData }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const paintMs = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
    void (async () => {
      const drawnMs = await paintMs();
      const updatesMs: number[] = [];
      for (let k = 1; k < data.frames.length; k++) {
        const t0 = performance.now();
        setFrame(k);
        updatesMs.push((await paintMs()) - t0);
      }
      window.gridtierMapBench = { drawnMs, updatesMs };
    })();
  }, [data]);
  const f = data.frames[frame];
  return (
    <main>
      <FeederMapView
        feeder={data.feeder}
        busValues={f.bus}
        busScale={viridis(0.95, 1.05)}
        busLabel="voltage, pu"
        branchValues={f.branch}
        branchScale={loadingScale(100)}
        describe={(b) => [data.feeder.buses[b].name]}
      />
    </main>
  );
}
