import { type BenchContext, median } from '../bench-support.js';
import { SimulatedClock } from '../time/index.js';
import type { Agent } from './agent.js';
import { Engine } from './engine.js';

/** An agent that wants every event and does nothing with it: the engine's own overhead. */
const noop = (id: string): Agent => ({ id, kind: 'noop', interests: ['tick'], onEvent() {} });

/** Events per second through the engine: stamped, logged and delivered to no-op agents. */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  for (const [agents, timing] of [
    [1, false],
    [1, true],
    [10, false],
    [100, false],
  ] as const) {
    const rates: number[] = [];
    for (let run = 0; run < 5; run++) {
      const engine = new Engine({ clock: new SimulatedClock(0), timing });
      for (let a = 0; a < agents; a++) engine.addAgent(noop(`a${a}`));
      const n = 200_000;
      for (let k = 0; k < n; k++)
        engine.at(k, 1, 'world', () => {
          engine.publish({ type: 'tick', actor: 'world', payload: k });
        });
      ctx.gc();
      const t0 = performance.now();
      await engine.run(n);
      rates.push(n / ((performance.now() - t0) / 1000));
    }
    rows.push([
      String(agents),
      timing ? 'on' : 'off',
      Math.round(median(rates)).toLocaleString('en-US'),
      Math.round(median(rates) * agents).toLocaleString('en-US'),
    ]);
  }
  return {
    title:
      'Market engine throughput with no-op agents (median of 5 runs of 200,000 events, each from a scheduled task)',
    columns: ['agents', 'wall time per kind', 'events/s', 'deliveries/s'],
    rows,
    notes: [
      'target: ≥ 500,000 events/s. Each event is scheduled, stamped, appended to the in-memory log and delivered to every agent.',
    ],
  };
}
