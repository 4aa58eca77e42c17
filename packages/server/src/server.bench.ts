// Authenticated, durable order intake over HTTP and over a WebSocket order-entry session, and
// feed fan-out, against `gridtier serve` in a child process (the load comes from this process
// over loopback), on the embedded database and on PostgreSQL. GRIDTIER_BENCH_SECONDS sets each
// run's length (10 by default; the figure is 60); GRIDTIER_BENCH_NODE_ARGS gives the server
// process Node flags of its own (e.g. `--cpu-prof --cpu-prof-dir=out/prof` to see where its time goes).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GridTierClient } from '@gridtier/sdk';
import pg from 'pg';
import WebSocket from 'ws';
import { addClient } from './auth/index.js';
import { openRepository, type StoreLocation } from './store/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SECONDS = Number(process.env.GRIDTIER_BENCH_SECONDS ?? 10);
const DATABASE = process.env.GRIDTIER_TEST_DATABASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const HTTP_IN_FLIGHT = 64;
const WS_SESSIONS = 8;
const WS_WINDOW = 256;
const SUBSCRIBERS = 1000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function serve(where: StoreLocation): Promise<{ child: ChildProcess; url: string }> {
  const args =
    where.database !== undefined
      ? ['--database', where.database, '--schema', where.schema!]
      : ['--data', where.data!];
  const child = spawn(
    process.execPath,
    [
      ...(process.env.GRIDTIER_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      join(root, 'packages/cli/dist/main.js'),
      'serve',
      ...args,
      '--port',
      '0',
      '--rate-limit',
      '1000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { child, url };
}

async function httpIntake(clients: GridTierClient[], session: string) {
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: HTTP_IN_FLIGHT }, async (_, k) => {
      const c = clients[k % clients.length];
      while (performance.now() < end) {
        const i = n++;
        const t0 = performance.now();
        await c.submit({
          market: 'intraday',
          session,
          clientOrderId: `h${i}`,
          order:
            i % 2
              ? { side: 'sell', price: 0.5 + (i % 50) / 100, quantity: 1 }
              : { side: 'buy', price: 0.01 + (i % 20) / 1000, quantity: 1 },
        });
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { acked: lat.length, lat };
}

async function wsIntake(clients: GridTierClient[], session: string) {
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let refused = 0;
  let cutOff = 0;
  await Promise.all(
    clients.slice(0, WS_SESSIONS).map(async (c, k) => {
      const ws = new WebSocket(await c.feedUrl());
      await new Promise((r) => ws.once('open', r));
      const sent = new Map<number, number>();
      let ref = 0;
      let done: () => void = () => {};
      const finished = new Promise<void>((r) => {
        done = r;
      });
      const send = () => {
        const i = ref++;
        sent.set(i, performance.now());
        ws.send(
          JSON.stringify({
            op: 'submit',
            ref: i,
            market: 'intraday',
            session,
            clientOrderId: `w${k}-${i}`,
            order:
              i % 2
                ? { side: 'sell', price: 0.5 + (i % 50) / 100, quantity: 1 }
                : { side: 'buy', price: 0.01, quantity: 1 },
          }),
        );
      };
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { op?: string; ref?: number; ok?: boolean };
        if (m.op !== 'ack') return;
        if (!m.ok) refused++;
        lat.push(performance.now() - sent.get(m.ref!)!);
        sent.delete(m.ref!);
        if (performance.now() < end) send();
        else if (sent.size === 0) done();
      });
      // a session the server cuts off (a client too slow to read its acknowledgements) ends its loop
      ws.once('close', (code) => {
        if (code !== 1000 && code !== 1005) cutOff++;
        done();
      });
      for (let i = 0; i < WS_WINDOW; i++) send();
      await finished;
      ws.close();
    }),
  );
  return { acked: lat.length - refused, lat, cutOff };
}

/** The rates: orders offered a second over HTTP and over WebSocket order entry. */
const HTTP_RATE = 2000;
const WS_RATE = 10_000;
const TICK_MS = 5;

/**
 * Orders offered at a fixed rate whatever the server does (an open loop: a slow answer does not
 * hold the next order back), each one's latency measured from when it was due, so queueing
 * behind a slow answer counts (no coordinated omission). `send(i)` resolves on the order's ack.
 */
async function atRate(rate: number, send: (i: number) => Promise<boolean>) {
  const lat: number[] = [];
  let acked = 0;
  const t0 = performance.now();
  const total = Math.round(rate * SECONDS);
  const pending: Promise<void>[] = [];
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; i < due; i++) {
      const dueAt = t0 + (i / rate) * 1000;
      pending.push(
        send(i).then((ok) => {
          lat.push(performance.now() - dueAt);
          if (ok) acked++;
        }),
      );
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await Promise.all(pending);
  return { acked, lat, seconds: (performance.now() - t0) / 1000 };
}

const orderAt = (i: number) =>
  i % 2
    ? { side: 'sell', price: 0.5 + (i % 50) / 100, quantity: 1 }
    : { side: 'buy', price: 0.01 + (i % 20) / 1000, quantity: 1 };

function httpAtRate(clients: GridTierClient[], session: string) {
  return atRate(HTTP_RATE, async (i) => {
    await clients[i % clients.length].submit({
      market: 'intraday',
      session,
      clientOrderId: `rh${i}`,
      order: orderAt(i),
    });
    return true;
  });
}

async function wsAtRate(clients: GridTierClient[], session: string) {
  let cutOff = 0;
  const sockets = await Promise.all(
    clients.slice(0, WS_SESSIONS).map(async (c) => {
      const ws = new WebSocket(await c.feedUrl());
      await new Promise((r) => ws.once('open', r));
      const waiting = new Map<number, (ok: boolean) => void>();
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { op?: string; ref?: number; ok?: boolean };
        if (m.op !== 'ack') return;
        waiting.get(m.ref!)?.(m.ok === true);
        waiting.delete(m.ref!);
      });
      // a session the server cuts off answers nothing more: its orders are not acknowledged
      ws.once('close', (code) => {
        if (code !== 1000 && code !== 1005) cutOff++;
        for (const answer of waiting.values()) answer(false);
        waiting.clear();
      });
      return { ws, waiting };
    }),
  );
  const r = await atRate(
    WS_RATE,
    (i) =>
      new Promise<boolean>((resolve) => {
        const s = sockets[i % sockets.length];
        if (s.ws.readyState !== WebSocket.OPEN) return resolve(false);
        s.waiting.set(i, resolve);
        s.ws.send(
          JSON.stringify({
            op: 'submit',
            ref: i,
            market: 'intraday',
            session,
            clientOrderId: `rw${i}`,
            order: orderAt(i),
          }),
        );
      }),
  );
  for (const s of sockets) s.ws.close();
  return { ...r, cutOff };
}

async function fanOut(clients: GridTierClient[], watcher: GridTierClient, session: string) {
  const url = await watcher.feedUrl();
  const sockets = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const ws = new WebSocket(url);
      await new Promise((r) => ws.once('open', r));
      return ws;
    }),
  );
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    let got = 0;
    const t0 = performance.now();
    const all = new Promise<void>((resolve) => {
      for (const ws of sockets)
        ws.on('message', function on(data) {
          if (!String(data).includes('"market.trade"')) return;
          ws.off('message', on);
          if (++got === SUBSCRIBERS) resolve();
        });
    });
    await clients[0].submit({
      market: 'intraday',
      session,
      clientOrderId: `fs${round}`,
      order: { side: 'sell', price: 0.2, quantity: 1 },
    });
    await clients[1].submit({
      market: 'intraday',
      session,
      clientOrderId: `fb${round}`,
      order: { side: 'buy', price: 0.2, quantity: 1 },
    });
    await all;
    times.push(performance.now() - t0);
  }
  for (const ws of sockets) ws.close();
  return times;
}

interface Measured {
  acked: number;
  lat: number[];
  /** WebSocket sessions the server closed during the run (each one's unanswered orders count as not acknowledged) */
  cutOff?: number;
  /** seconds the run took (the open loops may overrun their length) */
  seconds: number;
}

/** One measurement against a server of its own, so what one run leaves in the books cannot slow the next. */
async function measure(
  where: StoreLocation,
  body: (clients: GridTierClient[], watcher: GridTierClient, session: string) => Promise<Measured>,
): Promise<Measured & { lost: number }> {
  const repo = await openRepository(where);
  const creds = [];
  for (let i = 0; i < 9; i++)
    creds.push(await addClient(repo, { name: `bench${i}`, role: i === 8 ? 'device' : 'prosumer' }));
  await repo.close();
  const { child, url } = await serve(where);
  try {
    const clients = creds.map((c) => new GridTierClient(url, c.client.id, c.clientSecret));
    for (const c of clients) await c.accessToken();
    const session = (await clients[0].markets({ market: 'intraday' })).sessions[0].id;
    const r = await body(clients.slice(0, 8), clients[8], session);
    let kept = 0;
    for (const c of clients.slice(0, 8)) kept += (await c.orders()).orders.length;
    return { ...r, lost: r.acked - kept };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await discard(where);
  }
}

/** Drops what a run stored (its PostgreSQL schema or its embedded database's folder). */
async function discard(where: StoreLocation): Promise<void> {
  if (where.data !== undefined) return rm(where.data, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: where.database });
  try {
    await c.connect();
    await c.query(`drop schema if exists ${where.schema} cascade`);
  } finally {
    await c.end().catch(() => {});
  }
}

const closedLoop = async (r: Promise<{ acked: number; lat: number[] }>) => ({
  ...(await r),
  seconds: SECONDS,
});

async function run(name: string, fresh: () => StoreLocation) {
  const http = await measure(fresh(), (c, _w, session) => closedLoop(httpIntake(c, session)));
  const ws = await measure(fresh(), (c, _w, session) => closedLoop(wsIntake(c, session)));
  const httpRate = await measure(fresh(), (c, _w, session) => httpAtRate(c, session));
  const wsRate = await measure(fresh(), (c, _w, session) => wsAtRate(c, session));
  let fan: number[] = [];
  const fanRun = await measure(fresh(), async (c, watcher, session) => {
    fan = await fanOut(c, watcher, session);
    return { acked: 10, lat: fan, seconds: 0 };
  });
  const row = (what: string, r: Measured & { lost: number }) => [
    name,
    r.cutOff ? `${what}; ${r.cutOff} sessions cut off by the server as too slow` : what,
    String(r.acked),
    (r.acked / r.seconds).toFixed(0),
    pct(r.lat, 50).toFixed(1),
    pct(r.lat, 99).toFixed(1),
    String(r.lost),
  ];
  return [
    row(`HTTP POST /v1/orders (${HTTP_IN_FLIGHT} in flight: the most it takes)`, http),
    row(`WebSocket order entry (${WS_SESSIONS} sessions × ${WS_WINDOW} in flight: the most it takes)`, ws),
    row(`HTTP POST /v1/orders, ${HTTP_RATE.toLocaleString('en-US')} a second offered`, httpRate),
    row(
      `WebSocket order entry (${WS_SESSIONS} sessions), ${WS_RATE.toLocaleString('en-US')} a second offered`,
      wsRate,
    ),
    [
      name,
      `fan-out of one trade to ${SUBSCRIBERS} subscribers`,
      '5 rounds',
      '',
      pct(fan, 50).toFixed(1),
      Math.max(...fan).toFixed(1),
      String(fanRun.lost),
    ],
  ];
}

export async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'gridtier-bench-'));
  const rows: string[][] = [];
  try {
    let n = 0;
    rows.push(...(await run('PGlite', () => ({ data: join(dir, `run${n++}`) }))));
    rows.push(
      ...(await run('PostgreSQL', () => ({ database: DATABASE, schema: `bench_${process.pid}_${n++}` }))),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    title: `Order intake, durable and authenticated, ${SECONDS} s per run (load from a second process over loopback)`,
    columns: ['store', 'path', 'acknowledged', 'orders/s', 'p50 ms', 'p99 ms', 'lost'],
    rows,
    notes: [
      'Each row runs against a server of its own, started on an empty store. An order is acknowledged only after the commit that holds it; lost = acknowledged orders missing from the server afterwards.',
      "In flight: a closed loop that keeps that many orders outstanding (its latency is mostly queueing: in flight ÷ rate). Offered: an open loop at the issue's rate, each latency from when the order was due.",
    ],
  };
}
