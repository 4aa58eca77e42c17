// The substation coordinator on the machine's NATS JetStream: four feeders send their curves for
// three intervals (with retries), the coordinator is stopped with an interval half collected and
// started again, and each interval is cleared and published once, within the transformer's
// limit, with money summing to zero across the feeders. With a feeder missing, an interval clears
// after the curve timeout, and the late curve is refused by name, also by a restarted coordinator.
import { afterAll, describe, expect, it } from 'vitest';
import { BusClient } from './client.js';
import { deleteStreams, readSubject } from './streams.js';
import {
  type CurveRefusal,
  type FeederCurve,
  publishCurve,
  type SubstationClearing,
  SubstationCoordinator,
  SubstationTopology,
} from './substation.js';
import { BUS, natsReachable } from './test-support.js';

const available = await natsReachable();
if (!available) console.warn(`skipped: no NATS server at ${BUS}`);

const prefix = `gtsub${process.pid}x${Date.now().toString(36)}`;
afterAll(async () => {
  if (!available) return;
  const c = await BusClient.connect(BUS, prefix);
  await deleteStreams(await c.nc.jetstreamManager(), prefix);
  await c.close();
});

const feeders = ['f1', 'f2', 'f3', 'f4'];
const T0 = Date.parse('2026-07-15T12:00:00Z');
const intervals = [T0, T0 + 900_000, T0 + 1_800_000];

/** Feeder k's curve in interval i: PV-rich feeders export cheaply, the others import. */
function curve(k: number, i: number): FeederCurve {
  const exporter = k % 2 === 0;
  return {
    feeder: feeders[k],
    intervalStartMs: intervals[i],
    steps: exporter
      ? [
          { id: 'pv', side: 'sell', kw: 200 + 50 * i, usdPerKwh: 0.02 + k / 100 },
          { id: 'battery', side: 'sell', kw: 100, usdPerKwh: 0.09 },
        ]
      : [
          { id: 'base', side: 'buy', kw: 400 + 100 * i, usdPerKwh: 0.25 },
          { id: 'flex', side: 'buy', kw: 150, usdPerKwh: 0.07 + k / 100 },
        ],
  };
}

describe.skipIf(!available)('the substation coordinator on NATS JetStream', () => {
  it('clears each interval once under the transformer limit, also across a restart', async () => {
    const client = await BusClient.connect(BUS, prefix);
    const t = new SubstationTopology(prefix, 's1');
    const options = {
      url: BUS,
      prefix,
      substation: 's1',
      feeders,
      transformerKw: 300,
      intervalH: 0.25,
      isoUsdPerKwh: () => 0.08,
    };
    let coordinator = await SubstationCoordinator.start(options);
    try {
      for (let k = 0; k < 4; k++) await publishCurve(client.js, t, curve(k, 0));
      // a retry, and a bad curve that is refused
      await publishCurve(client.js, t, curve(0, 0));
      await client.js.publish(t.curvesSubject, new TextEncoder().encode('{"feeder":"f9"}'));
      for (let k = 0; k < 3; k++) await publishCurve(client.js, t, curve(k, 1));
      const deadline = Date.now() + 20_000;
      while (coordinator.published < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(coordinator.published).toBe(1);
      // stopped with interval 1 three quarters collected: its curves are not acknowledged yet
      await coordinator.stop();
      coordinator = await SubstationCoordinator.start(options);
      await publishCurve(client.js, t, curve(3, 1));
      for (let k = 3; k >= 0; k--) await publishCurve(client.js, t, curve(k, 2));
      while (coordinator.published < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(coordinator.published).toBe(2);
      for (const [i, start] of intervals.entries()) {
        const published = await readSubject(client.js, t.stream, t.exchangeSubject(start));
        expect(published.length, `interval ${i}`).toBe(1);
        const c = JSON.parse(published[0]) as SubstationClearing;
        expect(Math.abs(c.isoImportKw)).toBeLessThanOrEqual(300 + 1e-9);
        const money =
          Object.values(c.feeders).reduce((a, f) => a + f.usd, 0) + c.lines.reduce((a, l) => a + l.usd, 0);
        expect(Math.abs(money)).toBeLessThan(1e-9);
        expect(Object.keys(c.feeders).sort()).toEqual(feeders);
        // demand exceeds what the exporters and the transformer bring: the limit binds, the price rises
        expect(c.binding).toBe('import');
        expect(c.usdPerKwh).toBeGreaterThan(0.08);
        const net = Object.values(c.feeders).reduce((a, f) => a + f.importKw, 0);
        expect(net).toBeCloseTo(c.isoImportKw, 9);
      }
    } finally {
      await coordinator.stop();
      await client.close();
    }
  }, 60_000);

  it('clears without a missing feeder after the curve timeout; a restarted coordinator refuses its late curve by name', async () => {
    const client = await BusClient.connect(BUS, prefix);
    const t = new SubstationTopology(`${prefix}t`, 's1');
    const refusals: CurveRefusal[] = [];
    const options = {
      url: BUS,
      prefix: `${prefix}t`,
      substation: 's1',
      feeders: ['f1', 'f2', 'f3'],
      transformerKw: 300,
      intervalH: 0.25,
      isoUsdPerKwh: () => 0.08,
      curveTimeoutMs: 300,
      onRefusal: (r: CurveRefusal) => refusals.push(r),
    };
    const at = (k: number) => ({ ...curve(k, 0), feeder: options.feeders[k] });
    let coordinator = await SubstationCoordinator.start(options);
    try {
      await publishCurve(client.js, t, at(0));
      await publishCurve(client.js, t, at(1));
      const deadline = Date.now() + 20_000;
      while (coordinator.published < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(coordinator.timedOut).toBe(1);
      const published = await readSubject(client.js, t.stream, t.exchangeSubject(intervals[0]));
      const c = JSON.parse(published[0]) as SubstationClearing;
      expect(c.missing).toEqual(['f3']);
      expect(Object.keys(c.feeders)).toEqual(['f1', 'f2']);
      await coordinator.stop();

      // f3's curve after a restart: the stored clearing left it out, so it is refused by name
      coordinator = await SubstationCoordinator.start(options);
      await publishCurve(client.js, t, at(2));
      while (coordinator.late < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(refusals).toEqual([
        {
          substation: 's1',
          feeder: 'f3',
          intervalStartMs: intervals[0],
          reason: `the curve of feeder f3 for ${new Date(intervals[0]).toISOString()} came after the interval had cleared without it`,
        },
      ]);
      const stored = (await readSubject(client.js, t.stream, t.refusedSubject)).map((l) => JSON.parse(l));
      expect(stored).toEqual(refusals);
      // nothing cleared again
      expect(coordinator.published).toBe(0);
      expect(await readSubject(client.js, t.stream, t.exchangeSubject(intervals[0]))).toEqual(published);
    } finally {
      await coordinator.stop();
      await deleteStreams(await client.nc.jetstreamManager(), `${prefix}t`);
      await client.close();
    }
  }, 60_000);
});
