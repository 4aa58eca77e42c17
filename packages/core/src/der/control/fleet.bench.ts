import { type BenchContext, median } from '../../bench-support.js';
import { buildFleet, defaultFleetSpec, Fleet } from '../devices/index.js';
import { FleetController } from './index.js';

const DEVICES = 1_000_000;
const ROUNDS = 20;

/** Control rounds of a million-device fleet: aggregation, estimate, control law, device step. */
export async function bench(ctx: BenchContext) {
  const fleet = buildFleet(defaultFleetSpec(DEVICES), 1);
  const c = new FleetController(fleet, { dtS: 2 });
  const e0 = c.enabledKw;
  const rows: string[][] = [];
  for (const [what, share] of [
    ['no event (goal above demand)', 2],
    ['event, goal 75% of demand', 0.75],
  ] as const) {
    for (let k = 0; k < 5; k++) c.round(share * e0);
    ctx.gc();
    const ms: number[] = [];
    let err = 0;
    for (let k = 0; k < ROUNDS; k++) {
      const t0 = performance.now();
      const r = c.round(share * e0);
      ms.push(performance.now() - t0);
      err = Math.max(err, Math.abs(r.trackingErrorKw / r.control.targetKw));
    }
    const m = median(ms);
    rows.push([
      what,
      DEVICES.toLocaleString('en-US'),
      m.toFixed(1),
      (1000 / m).toFixed(1),
      ((m * 1e6) / DEVICES).toFixed(1),
      (100 * err).toFixed(3),
    ]);
  }
  const partialBytes = fleet.partials.byteLength / DEVICES;
  return {
    title: `Fleet control rounds: ${DEVICES.toLocaleString('en-US')} devices (median of ${ROUNDS} rounds after 5 warm-up)`,
    columns: ['what', 'devices', 'ms/round', 'rounds/s', 'ns/device', 'max |tracking error| %'],
    rows,
    notes: [
      `memory: ${Fleet.bytesPerDevice} bytes/device in the typed arrays, plus ${partialBytes.toFixed(2)} bytes/device of aggregation-tree leaves. Target: ≥ 10 rounds/s on 2 cores, single-threaded here.`,
    ],
  };
}
