// LEM-to-LEM exchange on the machine's NATS JetStream: two and then four feeder engines as child
// processes, each with its `exchange` market, and the substation's coordinator. Each feeder's
// participants bid and offer; at the gate each engine sends the curve its own orders make, the
// coordinator clears all of them under the transformer's limit, and each feeder clears at the
// substation's price with its exchanged quantity. One engine is killed with SIGKILL before the
// gate and restarted: the interval still clears once. Money sums to zero across the feeders.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '@gridtier/core/engine';
import { type CurveStep, clearSubstation } from '@gridtier/core/market/exchange';
import { afterAll, describe, expect, it } from 'vitest';
import { BusClient } from './client.js';
import { readSubject } from './streams.js';
import { type SubstationClearing, SubstationTopology } from './substation.js';
import { BUS, cleanUp, natsReachable, spawnFeederEngine, spawnGridtier } from './test-support.js';

const available = await natsReachable();
// the feeders' logs on the PostgreSQL server when there is one (an engine starts in 1–2 s there,
// an embedded database's first start takes several)
const PG = 'postgres://postgres@127.0.0.1:5432/test';
const onPostgres = await natsReachable(5432);
if (!available) console.warn(`skipped: no NATS server at ${BUS}`);

const START = '2026-07-15T10:00:00Z';
const LIMIT_KW = 100;
const ISO = 0.08;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const prefixes: string[] = [];
const schemas: string[] = [];
afterAll(() =>
  cleanUp({ children, prefixes, dirs, schemas: onPostgres ? { url: PG, names: schemas } : undefined }),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve(c.exitCode)
    : new Promise<number | null>((r) => c.once('exit', (code) => r(code)));

/** Feeder k's orders: even feeders are short (loads, EVs), odd ones long (PV, batteries); kWh per 5 minutes. */
function ordersOf(k: number): { side: 'buy' | 'sell'; price: number; quantity: number }[] {
  return k % 2 === 0
    ? [
        { side: 'buy', price: 0.2, quantity: 10 },
        { side: 'buy', price: 0.15, quantity: 10 },
        { side: 'buy', price: 0.12, quantity: 5 + k },
        { side: 'sell', price: 0.02, quantity: 2 },
      ]
    : [
        { side: 'sell', price: 0.03, quantity: 4 },
        { side: 'sell', price: 0.05 + k / 100, quantity: 4 },
        { side: 'buy', price: 0.25, quantity: 1 },
      ];
}

async function run(feederCount: number): Promise<void> {
  const prefix = `gtx${process.pid}x${Date.now().toString(36)}n${feederCount}`;
  prefixes.push(prefix);
  const dir = await mkdtemp(join(tmpdir(), 'gridtier-exchange-'));
  dirs.push(dir);
  const feeders = Array.from({ length: feederCount }, (_, i) => `f${i + 1}`);
  schemas.push(...feeders.map((f) => `${prefix}_${f}`));
  const client = await BusClient.connect(BUS, prefix);
  // the substation's coordinator as `gridtier substation`, a process of its own too
  const coordinator = spawnGridtier(
    [
      'substation',
      '--bus',
      BUS,
      '--prefix',
      prefix,
      '--substation',
      's1',
      '--feeders',
      feeders.join(','),
      '--transformer-kw',
      String(LIMIT_KW),
      '--iso-usd-per-kwh',
      String(ISO),
    ],
    'GridTier substation s1 on',
  );
  children.push(coordinator.child);
  await coordinator.ready;
  const start = (f: string) => {
    const e = spawnFeederEngine({
      prefix,
      feeder: f,
      store: onPostgres ? ['--database', PG, '--schema', `${prefix}_${f}`] : ['--data', join(dir, f)],
      clock: 'x20',
      start: START,
      extra: ['--substation', 's1'],
    });
    children.push(e.child);
    return e.ready;
  };
  try {
    for (const f of feeders) await client.ensureFeeder(f);
    const engines = new Map(await Promise.all(feeders.map(async (f) => [f, await start(f)] as const)));
    // a session that has just opened, so its whole window (15 s at ×20) is ahead
    const openNow = async () =>
      (await client.sessions(feeders[0], 'exchange')).find((s) => s.state === 'open');
    const first = await openNow();
    let session = first;
    const deadline = Date.now() + 120_000;
    while (session === undefined || session.id === first?.id) {
      if (Date.now() > deadline) throw new Error('no new exchange session opened');
      await sleep(100);
      session = await openNow();
    }
    await Promise.all(
      feeders.map(async (f, k) => {
        for (const [i, order] of ordersOf(k).entries())
          await client.submit(f, {
            participant: `${f}-p${i}`,
            market: 'exchange',
            session: session.id,
            clientOrderId: `x${i}`,
            order,
          });
      }),
    );
    // a feeder killed before its gate and restarted: the others' gates wait for its curve
    const victim = feeders[1];
    engines.get(victim)!.kill('SIGKILL');
    await exited(engines.get(victim)!);
    engines.set(victim, await start(victim));

    const cleared = new Map<string, EngineEvent[]>();
    for (const f of feeders)
      for (;;) {
        const events = await client.events(f);
        const done = events.some(
          (e) => e.type === 'market.cleared' && (e.payload as { session: string }).session === session.id,
        );
        if (done) {
          cleared.set(f, events);
          break;
        }
        if (Date.now() > deadline) throw new Error(`feeder ${f}: session ${session.id} not cleared in time`);
        await sleep(300);
      }

    const t = new SubstationTopology(prefix, 's1');
    const published = await readSubject(client.js, t.stream, t.exchangeSubject(session.deliveryStartMs));
    expect(published).toHaveLength(1);
    const clearing = JSON.parse(published[0]) as SubstationClearing;
    expect(Math.abs(clearing.isoImportKw)).toBeLessThanOrEqual(LIMIT_KW + 1e-9);
    expect(clearing.binding).toBe('import');
    expect(clearing.usdPerKwh).toBeGreaterThan(ISO);

    // the same clearing from the orders in the feeders' own logs: the curves were made from them
    const steps: CurveStep[] = [];
    let moneyUsd = clearing.lines.reduce((a, l) => a + l.usd, 0);
    for (const f of feeders) {
      const log = cleared.get(f)!;
      const inSession = (e: EngineEvent) =>
        (e.payload as { market?: string; session?: string }).market === 'exchange' &&
        (e.payload as { session?: string }).session === session.id;
      const accepted = log.filter((e) => e.type === 'order.accepted' && inSession(e));
      expect(accepted, f).toHaveLength(ordersOf(feeders.indexOf(f)).length);
      for (const e of accepted) {
        const p = e.payload as {
          orderId: string;
          order: { side: 'buy' | 'sell'; price: number; quantity: number };
        };
        steps.push({
          id: `${f}/${p.orderId}`,
          feeder: f,
          side: p.order.side,
          kw: p.order.quantity * 12,
          usdPerKwh: p.order.price,
        });
      }
      const result = log.find((e) => e.type === 'market.cleared' && inSession(e))!.payload as {
        result: { clearingPriceUsdPerKwh: number; substationImportKw: number };
        lines: { usd: number }[];
      };
      // each feeder clears at the substation's price with the quantity it exchanged
      expect(result.result.clearingPriceUsdPerKwh).toBe(clearing.usdPerKwh);
      expect(result.result.substationImportKw).toBeCloseTo(clearing.feeders[f].importKw, 6);
      const fillsUsd = log
        .filter((e) => e.type === 'market.fill' && inSession(e))
        .reduce((a, e) => a + (e.payload as { usd: number }).usd, 0);
      expect(fillsUsd).toBeCloseTo(clearing.feeders[f].usd, 9);
      expect(fillsUsd + result.lines.reduce((a, l) => a + l.usd, 0)).toBeCloseTo(0, 9);
      moneyUsd += fillsUsd;
      // cleared once, also by the engine restarted before its gate
      expect(log.filter((e) => e.type === 'market.cleared' && inSession(e))).toHaveLength(1);
    }
    const expected = clearSubstation({
      steps,
      isoUsdPerKwh: ISO,
      transformerKw: LIMIT_KW,
      intervalH: 5 / 60,
    });
    expect(clearing.usdPerKwh).toBe(expected.usdPerKwh);
    for (const f of feeders)
      expect(clearing.feeders[f].importKw).toBeCloseTo(expected.feeders[f].importKw, 6);
    // the feeders' participants, the ISO and the transformer's rent: zero
    expect(Math.abs(moneyUsd)).toBeLessThan(1e-9);

    // the next gates wait for every feeder: stopping them one by one would leave one waiting
    for (const c of engines.values()) c.kill('SIGKILL');
    coordinator.child.kill('SIGTERM');
    expect(await exited(coordinator.child)).toBe(0);
  } finally {
    await client.close();
  }
}

describe.skipIf(!available)('LEM-to-LEM exchange between feeder engines on NATS JetStream', () => {
  it('two feeders clear at the substation’s price under the transformer limit', async () => {
    await run(2);
  }, 180_000);

  it('four feeders, the same', async () => {
    await run(4);
  }, 240_000);
});
