import { type BenchContext, median } from '../../bench-support.js';
import { parseP2pScenario, simulateP2pDay } from './index.js';

/** A full day of the three layers: 10,000 prosumers in 100 microgrids under 10 VPPs. */
export async function bench(ctx: BenchContext) {
  const s = parseP2pScenario({ seed: 11, vpps: 10, microgridsPerVpp: 10, prosumersPerMicrogrid: 100 });
  simulateP2pDay(s);
  const ms: number[] = [];
  let r = simulateP2pDay(s);
  for (let i = 0; i < 3; i++) {
    ctx.gc();
    const t0 = performance.now();
    r = simulateP2pDay(s);
    ms.push(performance.now() - t0);
  }
  const l = r.layers;
  return {
    title: 'Peer-to-peer hierarchy, one day (ms, median of 3)',
    columns: ['prosumers', 'L1 markets', 'L1 trades', 'L3 markets', 'day'],
    rows: [
      [
        String(r.summary.prosumers),
        String(l.layer1.markets),
        String(l.layer1.trades),
        String(l.layer3.markets),
        median(ms).toFixed(0),
      ],
    ],
    notes: ['target: 10,000 prosumers in 100 microgrids and 10 VPPs, a full day in ≤ 10,000 ms'],
  };
}
