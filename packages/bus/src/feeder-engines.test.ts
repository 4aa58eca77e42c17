// Feeder engines as child processes on the machine's NATS JetStream: a client streams orders to
// every feeder (with retries and duplicates), one engine is killed with SIGKILL mid-stream and
// restarted, and afterwards every order JetStream acknowledged is in its feeder's log exactly
// once, the events subject is the log once and in order, nothing settled twice, and money sums
// to zero across the feeders.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineEvent, eventToLine } from '@gridtier/core/engine';
import { openRepository } from '@gridtier/server';
import { afterAll, describe, expect, it } from 'vitest';
import { BusClient } from './client.js';
import { type BusOrder, orderMsgId } from './protocol.js';
import { BUS, cleanUp, natsReachable, spawnFeederEngine } from './test-support.js';

const START = '2026-07-15T10:00:00Z';

const available = await natsReachable();
if (!available) console.warn(`skipped: no NATS server at ${BUS}`);

const children: ChildProcess[] = [];
/** what each engine printed on standard output */
const printed = new Map<ChildProcess, string>();
const dirs: string[] = [];
const prefixes: string[] = [];
afterAll(() => cleanUp({ children, prefixes, dirs }));

/** Starts `gridtier feeder-engine` as a child process; resolves once it consumes. */
function startEngine(prefix: string, feeder: string, dir: string): Promise<ChildProcess> {
  const { child, ready } = spawnFeederEngine({
    prefix,
    feeder,
    store: ['--data', join(dir, feeder)],
    clock: 'x10',
    start: START,
    onOutput: (out) => printed.set(child, out),
  });
  children.push(child);
  child.once('close', () => closed.add(child));
  return ready;
}

/** Resolves with the exit code once the child has exited and its output is read to the end. */
const exited = (child: ChildProcess) =>
  closed.has(child)
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once('close', (code) => r(code)));
const closed = new Set<ChildProcess>();

async function feederLog(dir: string): Promise<EngineEvent[]> {
  const repo = await openRepository({ data: dir });
  try {
    return await repo.events({ fromSeq: 1, limit: 1_000_000 });
  } finally {
    await repo.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(feederCount: number, ordersPerFeeder: number): Promise<void> {
  const prefix = `gttest${process.pid}x${Date.now().toString(36)}n${feederCount}`;
  prefixes.push(prefix);
  const dir = await mkdtemp(join(tmpdir(), 'gridtier-bus-'));
  dirs.push(dir);
  const feeders = Array.from({ length: feederCount }, (_, i) => `f${i + 1}`);
  const client = await BusClient.connect(BUS, prefix);
  try {
    // a short duplicate window, so that a retry after it reaches the engine and must be answered from its log
    for (const f of feeders) await client.ensureFeeder(f, { duplicateWindowMs: 2000 });
    const engines = new Map<string, ChildProcess>();
    for (const [f, c] of await Promise.all(
      feeders.map(async (f) => [f, await startEngine(prefix, f, dir)] as const),
    ))
      engines.set(f, c);
    const session = (await client.sessions(feeders[0], 'intraday')).find((s) => s.state === 'open')!.id;

    /** what JetStream acknowledged, per feeder: message id → the order */
    const acked = new Map(feeders.map((f) => [f, new Map<string, BusOrder>()]));
    let storedTwiceByStream = 0;
    const publish = async (f: string, i: number): Promise<void> => {
      const side = i % 2 === 0 ? 'sell' : 'buy';
      const layer3 = i % 7 === 3;
      const order: BusOrder = {
        participant: `${f}-${side}er-${i % 3}`,
        market: layer3 ? 'layer3' : 'intraday',
        ...(layer3 ? {} : { session }),
        clientOrderId: `c${i}`,
        order: {
          side,
          price: side === 'sell' ? 0.1 + (i % 5) / 100 : 0.12 + (i % 4) / 100,
          quantity: 1 + (i % 3),
        },
      };
      const ack = await client.submit(f, order);
      expect(ack.duplicate).toBe(false);
      acked.get(f)!.set(orderMsgId(order), order);
      if (i % 5 === 0) {
        // a client that did not hear the first acknowledgement sends the order again
        const again = await client.submit(f, order);
        expect(again.duplicate).toBe(true);
        storedTwiceByStream++;
      }
    };

    const victim = feeders[0];
    let sent = 0;
    const streams = feeders.map(async (f) => {
      for (let i = 0; i < ordersPerFeeder; i++) {
        await publish(f, i);
        sent++;
        if (f === victim && i === Math.floor(ordersPerFeeder / 3)) {
          // give the engine something under way, then kill it mid-stream
          await sleep(50);
          engines.get(f)!.kill('SIGKILL');
          await exited(engines.get(f)!);
        }
        if (f === victim && i === Math.floor((2 * ordersPerFeeder) / 3))
          engines.set(f, await startEngine(prefix, f, dir));
      }
    });
    await Promise.all(streams);
    expect(sent).toBe(feederCount * ordersPerFeeder);
    expect(storedTwiceByStream).toBeGreaterThan(0);
    // after the duplicate window, retries reach the victim's engine again: answered from its log
    await sleep(2500);
    const early = [...acked.get(victim)!.values()].slice(0, 10);
    for (const o of early) expect((await client.submit(victim, o)).duplicate).toBe(false);

    // wait until every feeder has answered every acknowledged order
    const deadline = Date.now() + 90_000;
    for (const f of feeders) {
      for (;;) {
        const answered = new Set((await client.results(f)).map((r) => r.msgId));
        if ([...acked.get(f)!.keys()].every((id) => answered.has(id))) break;
        if (Date.now() > deadline) throw new Error(`feeder ${f}: not every order was answered in time`);
        await sleep(500);
      }
    }
    // the early orders' second answers come after their first ones; let them arrive
    for (;;) {
      const ids = (await client.results(victim)).map((r) => r.msgId);
      if (early.every((o) => ids.filter((id) => id === orderMsgId(o)).length >= 2)) break;
      if (Date.now() > deadline) throw new Error('the retried orders were not answered again in time');
      await sleep(300);
    }
    for (const c of engines.values()) c.kill('SIGTERM');
    for (const c of engines.values()) expect(await exited(c)).toBe(0);
    // the restarted engine answered the retries past the duplicate window from its log
    const stats = /(\d+) order messages \((\d+) answered again/.exec(printed.get(engines.get(victim)!)!)!;
    expect(Number(stats[2])).toBeGreaterThanOrEqual(early.length);

    let moneyUsd = 0;
    let moneyScale = 0;
    let trades = 0;
    for (const f of feeders) {
      const log = await feederLog(join(dir, f));
      log.forEach((e, i) => {
        expect(e.seq).toBe(i + 1);
      });
      // the events subject is the log: every event once, in order
      const published = await client.events(f);
      expect(published.map(eventToLine)).toEqual(log.map(eventToLine));

      // every acknowledged order entered the engine exactly once (accepted, or refused by its market)
      const entered = new Map<string, number>();
      const quantity = new Map<string, number>();
      for (const e of log) {
        const p = e.payload as { market: string; clientOrderId?: string; orderId?: string; order?: unknown };
        if (e.type === 'order.accepted' || (e.type === 'order.rejected' && p.orderId === undefined)) {
          const id = orderMsgId({ participant: e.actor, market: p.market, clientOrderId: p.clientOrderId! });
          entered.set(id, (entered.get(id) ?? 0) + 1);
          if (e.type === 'order.accepted')
            quantity.set(p.orderId!, (p.order as { quantity: number }).quantity);
        }
      }
      for (const id of acked.get(f)!.keys()) expect(entered.get(id), `${f}: ${id}`).toBe(1);
      expect(entered.size, `${f}: orders in the log that were never sent`).toBe(acked.get(f)!.size);

      // nothing settled twice: no order filled beyond its quantity, no session cleared twice
      const filled = new Map<string, number>();
      for (const e of log.filter((x) => x.type === 'market.fill')) {
        const p = e.payload as { orderId: string; kwh: number; usd: number };
        filled.set(p.orderId, (filled.get(p.orderId) ?? 0) + Math.abs(p.kwh));
        moneyUsd += p.usd;
        moneyScale += Math.abs(p.usd);
      }
      for (const [orderId, kwh] of filled)
        expect(kwh, `${f}: ${orderId}`).toBeLessThanOrEqual(quantity.get(orderId)! + 1e-9);
      for (const e of log.filter((x) => x.type === 'market.lines'))
        for (const l of (e.payload as { lines: { usd: number }[] }).lines) {
          moneyUsd += l.usd;
          moneyScale += Math.abs(l.usd);
        }
      const cleared = log
        .filter((e) => e.type === 'market.cleared')
        .map((e) => (e.payload as { session: string }).session);
      expect(new Set(cleared).size).toBe(cleared.length);
      trades += log.filter((e) => e.type === 'market.trade').length;
    }
    expect(trades).toBeGreaterThan(feederCount * 10);
    expect(Math.abs(moneyUsd)).toBeLessThanOrEqual(1e-9 * (1 + moneyScale));
  } finally {
    await client.close();
  }
}

describe.skipIf(!available)('feeder engines on NATS JetStream', () => {
  it('two engines: one killed with SIGKILL and restarted loses and doubles nothing', async () => {
    await run(2, 240);
  }, 180_000);

  it('four engines: the same with one killed mid-stream', async () => {
    await run(4, 160);
  }, 240_000);
});
