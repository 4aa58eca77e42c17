// A substation's exchange on the machine's NATS JetStream, as its feeders' gates wait for it: 2,
// 4 and 20 feeders (each its own connection and BusSubstationPort) send their curves for an
// interval at once, the coordinator clears them, and each feeder's gate waits until it has read
// the interval's clearing back. Measured: each gate's wait (its curve sent → the clearing read),
// the interval's (the last feeder's), and, with one feeder down, the others' wait, which the
// coordinator's curve timeout bounds. Coordinator and feeders share this process.
import { loadavg } from 'node:os';
import type { NatsConnection } from 'nats';
import { BusClient, connectBus } from './client.js';
import { deleteStreams } from './streams.js';
import { BusSubstationPort, SubstationCoordinator, SubstationTopology } from './substation.js';
import { natsReachable } from './test-support.js';

const BUS = process.env.GRIDTIER_BUS ?? 'nats://127.0.0.1:4222';
const INTERVALS = Number(process.env.GRIDTIER_BENCH_INTERVALS ?? 40);
const FEEDERS = (process.env.GRIDTIER_BENCH_FEEDERS ?? '2,4,20').split(',').map(Number);
const TIMEOUT_MS = 500;
const T0 = Date.parse('2026-07-15T10:00:00Z');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Feeder k's curve: even feeders import, odd ones export; every interval a little different. */
const stepsOf = (k: number, i: number) =>
  k % 2 === 0
    ? [
        { id: 'base', side: 'buy' as const, kw: 300 + 10 * (i % 7), usdPerKwh: 0.25 },
        { id: 'flex', side: 'buy' as const, kw: 100, usdPerKwh: 0.07 + k / 1000 },
      ]
    : [{ id: 'pv', side: 'sell' as const, kw: 200, usdPerKwh: 0.02 + k / 1000 }];

async function round(n: number, down: number): Promise<string[]> {
  const prefix = `gtsb${process.pid}x${Date.now().toString(36)}n${n}d${down}`;
  const feeders = Array.from({ length: n }, (_, k) => `f${k + 1}`);
  const coordinator = await SubstationCoordinator.start({
    url: BUS,
    prefix,
    substation: 's1',
    feeders,
    transformerKw: 100 * n,
    intervalH: 5 / 60,
    isoUsdPerKwh: () => 0.08,
    curveTimeoutMs: TIMEOUT_MS,
  });
  const up = feeders.slice(0, n - down);
  const conns: NatsConnection[] = [];
  try {
    const t = new SubstationTopology(prefix, 's1');
    const ports = await Promise.all(
      up.map(async (f) => {
        const nc = await connectBus(BUS, `bench-${f}`);
        conns.push(nc);
        return new BusSubstationPort(nc, t);
      }),
    );
    const gate: number[] = [];
    const interval: number[] = [];
    const began = performance.now();
    for (let i = 0; i < INTERVALS; i++) {
      const intervalStartMs = T0 + i * 300_000;
      const waits = await Promise.all(
        ports.map(async (p, k) => {
          const t0 = performance.now();
          await p.exchange({ feeder: up[k], intervalStartMs, steps: stepsOf(k, i) });
          return performance.now() - t0;
        }),
      );
      gate.push(...waits);
      interval.push(Math.max(...waits));
    }
    const elapsedS = (performance.now() - began) / 1000;
    return [
      String(n),
      String(down),
      String(INTERVALS),
      pct(gate, 50).toFixed(1),
      pct(gate, 99).toFixed(1),
      pct(interval, 50).toFixed(1),
      (INTERVALS / elapsedS).toFixed(1),
      String(coordinator.published),
    ];
  } finally {
    await coordinator.stop();
    for (const nc of conns) await nc.drain().catch(() => {});
    const client = await BusClient.connect(BUS, prefix);
    await deleteStreams(await client.nc.jetstreamManager(), prefix);
    await client.close();
  }
}

export async function bench() {
  const title = 'Substation exchange on NATS JetStream: a feeder gate’s wait for its clearing';
  const columns = [
    'feeders',
    'down',
    'intervals',
    'gate wait p50 ms',
    'gate wait p99 ms',
    'interval (last feeder) p50 ms',
    'intervals/s',
    'cleared',
  ];
  if (!(await natsReachable(4222)))
    return { title, columns, rows: [], notes: ['skipped: needs NATS at 127.0.0.1:4222'] };
  const load = loadavg()[0];
  const rows: string[][] = [];
  for (const n of FEEDERS) rows.push(await round(n, 0));
  rows.push(await round(4, 1));
  return {
    title,
    columns,
    rows,
    notes: [
      `Each interval's curves sent at once by every feeder that is up, the next interval after the last feeder has its clearing; ` +
        `a gate is woken by the clearing's message on the interval's subject and reads the stored clearing. With a feeder down the coordinator clears after its curve timeout (${TIMEOUT_MS} ms here, 10 s by default). ` +
        `Load average (1 min) at the start: ${load.toFixed(2)} on this machine's cores, shared with other work.`,
    ],
  };
}
