// Feeder engines on the machine's NATS JetStream, 1 → 4 → 20 of them as child processes, each
// feeder with 400 prosumers trading in its intraday book and its Layer III call market, the logs
// in schemas of the PostgreSQL server. The load comes from this process: every prosumer's orders
// published in a closed loop (a window of orders per engine not yet answered) for
// GRIDTIER_BENCH_SECONDS (10 by default). Measured end to
// end, on the bus: orders and events per second (from the first order published to the last
// result received), an order's latency (published → its result received), and the clearing
// latency per gate as each engine measures it (its gate's step → the market.cleared event stored
// on the events subject).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BusClient } from './client.js';
import { orderMsgId } from './protocol.js';
import { deleteStreams } from './streams.js';
import { natsReachable } from './test-support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BUS = process.env.GRIDTIER_BUS ?? 'nats://127.0.0.1:4222';
const DATABASE = process.env.GRIDTIER_TEST_DATABASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.GRIDTIER_BENCH_SECONDS ?? 10);
const ENGINES = (process.env.GRIDTIER_BENCH_ENGINES ?? '1,4,20').split(',').map(Number);
const PROSUMERS = 400;
/** orders published and not yet answered, per engine: the load is a closed loop, so latency is not a backlog's */
const WINDOW_PER_ENGINE = 32;
const SPEED = 60;
const START = '2026-07-15T10:00:00Z';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

interface Engine {
  child: ChildProcess;
  out: () => string;
}

function startEngine(prefix: string, feeder: string, schema: string): Promise<Engine> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/cli/dist/main.js'),
      'feeder-engine',
      '--bus',
      BUS,
      '--feeder',
      feeder,
      '--prefix',
      prefix,
      '--database',
      DATABASE,
      '--schema',
      schema,
      '--clock',
      `x${SPEED}`,
      '--start',
      START,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(`GridTier feeder ${feeder} on`)) resolve({ child, out: () => out });
    });
    child.once('exit', (c) => reject(new Error(`feeder-engine ${feeder} exited ${c}`)));
  });
}

const closed = (child: ChildProcess) =>
  new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('close', () => r())));

async function round(n: number): Promise<string[]> {
  const prefix = `gtbench${process.pid}x${Date.now().toString(36)}n${n}`;
  const feeders = Array.from({ length: n }, (_, i) => `f${i + 1}`);
  const schemas = feeders.map((f) => `${prefix}_${f}`);
  const client = await BusClient.connect(BUS, prefix);
  const engines: Engine[] = [];
  const db = new pg.Client({ connectionString: DATABASE });
  await db.connect();
  try {
    const t0 = performance.now();
    // started a few at a time: 20 processes starting at once on two cores time out each other
    for (let i = 0; i < n; i += 4)
      engines.push(
        ...(await Promise.all(feeders.slice(i, i + 4).map((f, k) => startEngine(prefix, f, schemas[i + k])))),
      );
    const startS = (performance.now() - t0) / 1000;
    const session = (await client.sessions(feeders[0], 'intraday')).find((s) => s.state === 'open')!.id;

    const sentAt = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const latency: number[] = [];
    let events = 0;
    let lastAt = 0;
    const sub = client.nc.subscribe(`${prefix}.*.events`, {
      callback: () => {
        events++;
        lastAt = performance.now();
      },
    });
    const results = client.nc.subscribe(`${prefix}.*.results`, {
      callback: (_e, m) => {
        const r = m.json<{ msgId: string; feeder: string }>();
        const t = sentAt.get(`${r.feeder}:${r.msgId}`);
        if (t !== undefined) {
          latency.push(performance.now() - t);
          sentAt.delete(`${r.feeder}:${r.msgId}`);
        }
        waiting.get(`${r.feeder}:${r.msgId}`)?.();
        lastAt = performance.now();
      },
    });
    const begin = performance.now();
    const end = begin + SECONDS * 1000;
    let i = 0;
    let sent = 0;
    await Promise.all(
      Array.from({ length: WINDOW_PER_ENGINE * n }, async () => {
        while (performance.now() < end) {
          const k = i++;
          const feeder = feeders[k % n];
          const who = Math.floor(k / n) % PROSUMERS;
          const side = who % 2 === 0 ? 'sell' : 'buy';
          const layer3 = k % 10 === 0;
          const order = {
            participant: `${feeder}-p${who}`,
            market: layer3 ? 'layer3' : 'intraday',
            ...(layer3 ? {} : { session }),
            clientOrderId: `c${k}`,
            order: {
              side,
              price: side === 'sell' ? 0.1 + (k % 5) / 100 : 0.12 + (k % 4) / 100,
              quantity: 1 + (k % 3),
            },
          };
          const key = `${feeder}:${orderMsgId(order)}`;
          const answered = new Promise<void>((r) => waiting.set(key, r));
          sentAt.set(key, performance.now());
          await client.submit(feeder, order);
          sent++;
          await answered;
          waiting.delete(key);
        }
      }),
    );
    const deadline = performance.now() + 120_000;
    while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const unanswered = sentAt.size;
    // the last events of the last orders follow their results
    await new Promise((r) => setTimeout(r, 500));
    const elapsedS = (lastAt - begin) / 1000;
    sub.unsubscribe();
    results.unsubscribe();
    const rssMb = engines.map((e) => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${e.child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    });
    for (const e of engines) e.child.kill('SIGTERM');
    await Promise.all(engines.map((e) => closed(e.child)));
    const gates: number[] = [];
    for (const e of engines) {
      const m = /(\d+) gates, gate to result on the bus p50 ([\d.]+) ms, max ([\d.]+) ms/.exec(e.out());
      if (m && Number(m[1]) > 0) gates.push(Number(m[2]));
    }
    return [
      String(n),
      String(n * PROSUMERS),
      startS.toFixed(1),
      String(sent),
      (sent / elapsedS).toFixed(0),
      (events / elapsedS).toFixed(0),
      pct(latency, 50).toFixed(0),
      pct(latency, 99).toFixed(0),
      gates.length === 0 ? '–' : `${pct(gates, 50).toFixed(0)} (${Math.max(...gates).toFixed(0)})`,
      pct(rssMb, 50).toFixed(0),
      String(unanswered),
    ];
  } finally {
    for (const e of engines) if (e.child.exitCode === null) e.child.kill('SIGKILL');
    await deleteStreams(await client.nc.jetstreamManager(), prefix);
    await client.close();
    for (const s of schemas) await db.query(`drop schema if exists ${s} cascade`);
    await db.end();
  }
}

export async function bench() {
  const title = 'Feeder engines on NATS JetStream (child processes, logs on PostgreSQL)';
  const columns = [
    'engines',
    'prosumers',
    'start s',
    'orders',
    'orders/s end to end',
    'events/s end to end',
    'order p50 ms',
    'order p99 ms',
    'clearing ms p50 of engines (max)',
    'RSS MB per engine',
    'unanswered',
  ];
  if (!(await natsReachable(4222)) || !(await natsReachable(5432)))
    return {
      title,
      columns,
      rows: [],
      notes: ['skipped: needs NATS at 127.0.0.1:4222 and PostgreSQL at :5432'],
    };
  const rows: string[][] = [];
  for (const n of ENGINES) rows.push(await round(n));
  return {
    title,
    columns,
    rows,
    notes: [
      `${SECONDS} s of orders per round from one client process, ${WINDOW_PER_ENGINE} orders per engine published and not yet answered at any time, clock ×${SPEED}; ` +
        'end to end: from the first order published to the last result and event received on the bus. ' +
        'Clearing: each engine’s median from its gate’s step to market.cleared stored on its events subject.',
    ],
  };
}
