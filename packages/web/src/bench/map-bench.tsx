import type { FeederMap } from '@gridtier/core/agents';
import { useEffect, useRef, useState } from 'preact/hooks';
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
    gridtierMapBench?: {
      drawnMs: number;
      updatesMs: number[];
      /** the 1 Hz run: the frames' start times, ms, and when each update was given */
      framesMs: number[];
      /** the frames of as long a time with no new values: what the machine drops anyway */
      idleFramesMs: number[];
      ticksMs: number[];
      /** the browser's long animation frames (over 50 ms) meanwhile, with what took their time */
      longFrames: unknown[];
    };
  }
}

/** Updates given once a second after the timed ones, while every frame is watched. */
const TICKS = 8;

/**
 * Every frame the page draws for `seconds`, and the long ones' breakdown; `tick(k)` runs at each
 * second but the last.
 */
async function watchFrames(seconds: number, tick: (k: number) => void) {
  const framesMs: number[] = [];
  const longFrames: unknown[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longFrames.push(e.toJSON());
  });
  observer.observe({ type: 'long-animation-frame' });
  let watching = true;
  const watch = (t: number) => {
    framesMs.push(t);
    if (watching) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  for (let k = 0; k < seconds; k++) {
    await new Promise((r) => setTimeout(r, 1000));
    if (k < seconds - 1) tick(k);
  }
  watching = false;
  observer.disconnect();
  return { framesMs, longFrames };
}

/**
 * The feeder map alone, timed: when its first frame is painted (from the page's navigation
 * start: script, data and drawing), then each later set of values until it is painted; then new
 * values once a second, as the live map gets them from the feed, with the time of every frame
 * the page drew meanwhile (a frame that came late was dropped). The times land on
 * window.gridtierMapBench for the benchmark to read.
 */
export function MapBench({ data }: { data: MapBenchData }) {
  const [frame, setFrame] = useState(0);
  const painted = useRef<(() => void) | null>(null);
  useEffect(() => {
    const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
    const show = (k: number) =>
      new Promise<void>((r) => {
        painted.current = r;
        setFrame(k);
      });
    void (async () => {
      const drawnMs = await nextFrame();
      const updatesMs: number[] = [];
      for (let k = 1; k < data.frames.length; k++) {
        const t0 = performance.now();
        await show(k);
        updatesMs.push((await nextFrame()) - t0);
      }
      // the same time watched with no new values, then with a new set every second
      const idle = await watchFrames(TICKS + 1, () => {});
      const ticksMs: number[] = [];
      const busy = await watchFrames(TICKS + 1, (k) => {
        ticksMs.push(performance.now());
        void show(k % data.frames.length);
      });
      window.gridtierMapBench = {
        drawnMs,
        updatesMs,
        framesMs: busy.framesMs,
        idleFramesMs: idle.framesMs,
        ticksMs,
        longFrames: busy.longFrames,
      };
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
        onPainted={() => painted.current?.()}
      />
    </main>
  );
}
