// The substation's exchange as the feeders' boundary price, on the machine's NATS JetStream: two
// feeder engines, each with a nodal real-time LEM on the demo feeder and its `exchange` market,
// and the substation's coordinator. Per interval the exchange clears first (its gate is 5 minutes
// ahead), then each feeder's LEM clears with the substation's price at its source bus: every
// DLMP's energy part is that price, above the ISO's where the transformer's import limit binds
// and the ISO's where it does not. Then one feeder engine is stopped: the coordinator clears
// without it after its curve timeout, names it in the clearing, and refuses its late curve by
// name; restarted, the feeder replays its log and clears the interval it missed from the record.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EngineEvent, sessionId } from '@gridtier/core/engine';
import { runScript } from '@gridtier/core/grid/powerflow';
import { InProcessLemClearer } from '@gridtier/core/market';
import { nodeScriptHost } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import { minutesMs, PRODUCTS } from '@gridtier/core/time';
import { LemMarket } from '@gridtier/core/venues';
import type { StoreLocation } from '@gridtier/server';
import { HandTime } from '@gridtier/server/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BusClient } from './client.js';
import { FeederEngine } from './feeder-engine.js';
import type { BusOrder } from './protocol.js';
import { readSubject } from './streams.js';
import {
  type CurveRefusal,
  publishCurve,
  type SubstationClearing,
  SubstationCoordinator,
  SubstationTopology,
} from './substation.js';
import { BUS, cleanUp, natsReachable, spawnGridtier } from './test-support.js';

const available = await natsReachable();
if (!available) console.warn(`skipped: no NATS server at ${BUS}`);
// the feeders' logs on the PostgreSQL server when there is one, in embedded databases otherwise
const PG = 'postgres://postgres@127.0.0.1:5432/test';
const onPostgres = await natsReachable(5432);

const START = Date.parse('2026-07-15T10:00:00Z');
const SPEED = 60;
const ISO = 0.08;
const LIMIT_KW = 100;
const I1 = START + minutesMs(10);
const I2 = START + minutesMs(15);
const demo = fileURLToPath(new URL('../../../examples/feeders/gridtier-demo/master.dss', import.meta.url));
const solver = await HighsSolver.create();

const children: ChildProcess[] = [];
const dirs: string[] = [];
const prefixes: string[] = [];
const schemas: string[] = [];
afterAll(() =>
  cleanUp({ children, prefixes, dirs, schemas: onPostgres ? { url: PG, names: schemas } : undefined }),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A feeder's program: its nodal real-time LEM on the demo feeder, the ISO at ISO. */
const lemProgram = () => {
  const feeder = runScript(nodeScriptHost, demo).state;
  return {
    markets: [
      new LemMarket({
        id: 'lem-rt',
        market: 'rtm',
        product: PRODUCTS.rt5,
        feeder,
        clearer: new InProcessLemClearer(feeder, solver),
        isoPricesUsdPerMwh: () => [ISO * 1000],
        voltageLimitsPu: [0.9, 1.1],
        loadMultiplier: 0,
      }),
    ],
  };
};

/** Two feeders' engines, their client and time moved by hand. */
async function setUp(name: string) {
  const prefix = `gtxd${process.pid}x${Date.now().toString(36)}${name}`;
  prefixes.push(prefix);
  const dir = await mkdtemp(join(tmpdir(), 'gridtier-exchange-dlmp-'));
  dirs.push(dir);
  const time = new HandTime();
  const client = await BusClient.connect(BUS, prefix);
  const store = (f: string): StoreLocation => {
    if (!onPostgres) return { data: join(dir, f) };
    schemas.push(`${prefix}_${f}`);
    return { database: PG, schema: `${prefix}_${f}` };
  };
  const start = (f: string) =>
    FeederEngine.start({
      url: BUS,
      prefix,
      feeder: f,
      store: store(f),
      clock: `x${SPEED}`,
      startMs: START,
      program: lemProgram,
      substation: 's1',
      source: time,
      stepMs: 2,
    });
  /** Moves the engines' clocks to `engineMs` and waits until each has stepped there and kept it. */
  const advance = async (engines: FeederEngine[], engineMs: number) => {
    const behind = Math.max(...engines.map((e) => engineMs - e.live.now()));
    time.t += Math.max(0, behind) / SPEED;
    for (const e of engines) {
      while (e.live.now() < engineMs) await sleep(5);
      await e.live.read(() => {});
      await e.live.durable();
    }
  };
  /** Submits orders and waits until the engine has answered each (accepted). */
  const submit = async (f: string, orders: Omit<BusOrder, 'clientOrderId'>[], tag: string) => {
    const ids = orders.map((o, i) => `${o.participant}/${o.market}/${tag}${i}`);
    for (const [i, o] of orders.entries()) await client.submit(f, { ...o, clientOrderId: `${tag}${i}` });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const results = await client.results(f);
      const mine = results.filter((r) => ids.includes(r.msgId));
      if (mine.length >= ids.length) {
        for (const r of mine) expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
        return;
      }
      if (Date.now() > deadline) throw new Error(`feeder ${f}: orders ${tag} not answered in time`);
      await sleep(50);
    }
  };
  return { prefix, client, start, advance, submit, topology: new SubstationTopology(prefix, 's1') };
}

const exchangeOrder = (
  participant: string,
  session: number,
  side: 'buy' | 'sell',
  price: number,
  kwh: number,
) => ({
  participant,
  market: 'exchange',
  session: sessionId('exchange', session),
  order: { side, price, quantity: kwh },
});

/** LEM orders at the demo feeder's buses, $/MWh and kW: a bid that clears at the ISO's price only. */
const lemOrders = (f: string, session: number) =>
  [
    { participant: `${f}-ev`, order: { type: 'bid', bus: 'n4', steps: [{ price: 300, quantityKw: 150 }] } },
    { participant: `${f}-heat`, order: { type: 'bid', bus: 'n3', steps: [{ price: 150, quantityKw: 80 }] } },
    { participant: `${f}-pv`, order: { type: 'offer', bus: 'n6', steps: [{ price: 10, quantityKw: 60 }] } },
  ].map((o) => ({ ...o, market: 'lem-rt', session: sessionId('lem-rt', session) }));

interface LemCleared {
  session: string;
  result: {
    status: string;
    source: { usdPerMwh: number[]; from: string[] };
    dlmp: { nodes: string[]; intervals: { total: number[]; energy: number[]; loss: number[] }[] };
  };
  lines: { account: string; kwh: number; usd: number }[];
}

const ofSession = (events: EngineEvent[], type: string, session: string) =>
  events.filter((e) => e.type === type && (e.payload as { session?: string }).session === session);

async function clearingOf(
  client: BusClient,
  t: SubstationTopology,
  interval: number,
): Promise<SubstationClearing> {
  const published = await readSubject(client.js, t.stream, t.exchangeSubject(interval));
  expect(published).toHaveLength(1);
  return JSON.parse(published[0]) as SubstationClearing;
}

describe.skipIf(!available)(
  'the substation’s exchange as the feeders’ boundary price on NATS JetStream',
  () => {
    it('each feeder’s DLMPs take the exchange’s price as their energy part, with and without a binding transformer limit', async () => {
      const { client, start, advance, submit, topology } = await setUp('p');
      const coordinator = await SubstationCoordinator.start({
        url: BUS,
        prefix: topology.prefix,
        substation: 's1',
        feeders: ['f1', 'f2'],
        transformerKw: LIMIT_KW,
        intervalH: 5 / 60,
        isoUsdPerKwh: () => ISO,
      });
      let engines = [await start('f1'), await start('f2')];
      try {
        await advance(engines, START + minutesMs(1));
        // I1: f1's loads want 360 kW, f2 exports 60: the 100 kW transformer binds, the price rises to 0.2
        await submit(
          'f1',
          [exchangeOrder('f1-load', I1, 'buy', 0.2, 20), exchangeOrder('f1-flex', I1, 'buy', 0.12, 10)],
          'x1-',
        );
        await submit(
          'f2',
          [exchangeOrder('f2-pv', I1, 'sell', 0.03, 5), exchangeOrder('f2-load', I1, 'buy', 0.25, 1)],
          'x1-',
        );
        // the exchange's gate for I1 (10:05) clears it; the LEM's session for I1 opens
        await advance(engines, START + minutesMs(6));
        for (const f of ['f1', 'f2']) await submit(f, lemOrders(f, I1), 'l1-');
        // I2: 24 kW against 12 kW: the transformer has room, the ISO sets the price
        await submit('f1', [exchangeOrder('f1-load', I2, 'buy', 0.2, 2)], 'x2-');
        await submit('f2', [exchangeOrder('f2-pv', I2, 'sell', 0.03, 1)], 'x2-');
        // the LEM clears I1 at its gate (10:10), the exchange I2
        await advance(engines, START + minutesMs(11));
        for (const f of ['f1', 'f2']) await submit(f, lemOrders(f, I2), 'l2-');
        await advance(engines, START + minutesMs(16));

        const c1 = await clearingOf(client, topology, I1);
        const c2 = await clearingOf(client, topology, I2);
        expect(c1).toMatchObject({ binding: 'import', usdPerKwh: 0.2, missing: [] });
        expect(c1.isoImportKw).toBeCloseTo(LIMIT_KW, 9);
        expect(c2).toMatchObject({ binding: null, usdPerKwh: ISO, missing: [] });

        const lemSourceUsd: Record<string, number> = {};
        let moneyUsd = 0;
        for (const f of ['f1', 'f2']) {
          const events = await client.events(f);
          for (const [interval, clearing] of [
            [I1, c1],
            [I2, c2],
          ] as const) {
            const session = sessionId('lem-rt', interval);
            const cleared = ofSession(events, 'market.cleared', session);
            expect(cleared, `${f} ${session}`).toHaveLength(1);
            const lem = cleared[0].payload as LemCleared;
            expect(lem.result.status).toBe('optimal');
            const usdPerMwh = clearing.usdPerKwh * 1000;
            expect(lem.result.source).toEqual({ usdPerMwh: [usdPerMwh], from: ['substation'] });
            // the energy part of every DLMP is the substation's price; the demo feeder's losses stay its own
            const iv = lem.result.dlmp.intervals[0];
            expect(iv.energy.length).toBeGreaterThan(10);
            for (const e of iv.energy) expect(e).toBeCloseTo(usdPerMwh, 6);
            expect(iv.loss.some((l) => Math.abs(l) > 1e-3)).toBe(true);
            // the feeder's import through its source bus is bought from the substation at its price
            const source = lem.lines.filter((l) => l.account === 'substation' || l.account === 'iso');
            expect(source.map((l) => l.account)).toEqual(['substation']);
            expect(source[0].usd / source[0].kwh).toBeCloseTo(clearing.usdPerKwh, 9);
            lemSourceUsd[`${f}@${interval}`] = source[0].usd;
            // the 150 $/MWh bid clears at the ISO's 80 but not at the substation's 200
            const heat = ofSession(events, 'market.fill', session).filter((e) => e.to?.includes(`${f}-heat`));
            const heatKwh = heat.reduce((a, e) => a + (e.payload as { kwh: number }).kwh, 0);
            if (clearing.binding === 'import') expect(heatKwh).toBeCloseTo(0, 9);
            else expect(heatKwh).toBeLessThan(-1);
            // the LEM's books: fills and lines (the substation's, the DSO's rent) sum to zero
            const lemMoney =
              ofSession(events, 'market.fill', session).reduce(
                (a, e) => a + (e.payload as { usd: number }).usd,
                0,
              ) + lem.lines.reduce((a, l) => a + l.usd, 0);
            expect(Math.abs(lemMoney)).toBeLessThan(1e-9);
            // the exchange's: each feeder at the substation's price, its net import from the substation
            const xs = sessionId('exchange', interval);
            const xCleared = ofSession(events, 'market.cleared', xs)[0].payload as {
              result: { clearingPriceUsdPerKwh: number };
              lines: { usd: number }[];
            };
            expect(xCleared.result.clearingPriceUsdPerKwh).toBe(clearing.usdPerKwh);
            const xFills = ofSession(events, 'market.fill', xs).reduce(
              (a, e) => a + (e.payload as { usd: number }).usd,
              0,
            );
            expect(xFills).toBeCloseTo(clearing.feeders[f].usd, 9);
            moneyUsd += xFills;
          }
          // the LEM's interval before the first exchange interval had no substation price: the ISO's
          const early = ofSession(events, 'market.cleared', sessionId('lem-rt', START + minutesMs(5)));
          expect((early[0].payload as LemCleared).result.source.from).toEqual(['iso']);
        }
        // across the feeders: their exchange money, the ISO's and the transformer's rent sum to zero,
        // and the substation sells the LEMs' imports at one price in each interval
        for (const c of [c1, c2]) moneyUsd += c.lines.reduce((a, l) => a + l.usd, 0);
        expect(Math.abs(moneyUsd)).toBeLessThan(1e-9);
        expect(lemSourceUsd[`f1@${I1}`]).toBeGreaterThan(0);

        // a restart replays each feeder's log, the exchange's clearings read again from the stream
        const before = engines.map((e) => e.lastSeq);
        for (const e of engines) await e.stop();
        engines = [await start('f1'), await start('f2')];
        expect(engines.map((e) => e.live.replayed)).toEqual(before);
      } finally {
        for (const e of engines) await e.stop().catch(() => {});
        await coordinator.stop();
        await client.close();
      }
    }, 180_000);

    it('with one feeder engine stopped, the interval clears without it after the curve timeout and its late curve is refused by name', async () => {
      const { client, start, advance, submit, topology } = await setUp('t');
      let printed = '';
      const coordinator = spawnGridtier(
        [
          'substation',
          '--bus',
          BUS,
          '--prefix',
          topology.prefix,
          '--substation',
          's1',
          '--feeders',
          'f1,f2',
          '--transformer-kw',
          String(LIMIT_KW),
          '--iso-usd-per-kwh',
          String(ISO),
          '--curve-timeout-ms',
          '1500',
        ],
        'GridTier substation s1 on',
        (out) => {
          printed = out;
        },
      );
      children.push(coordinator.child);
      await coordinator.ready;
      const f1 = await start('f1');
      let f2 = await start('f2');
      try {
        await advance([f1, f2], START + minutesMs(1));
        await submit('f1', [exchangeOrder('f1-load', I1, 'buy', 0.2, 20)], 'x1-');
        await submit('f2', [exchangeOrder('f2-pv', I1, 'sell', 0.03, 5)], 'x1-');
        // f2 goes down before its gate; f1's gate does not wait for it for good
        const f2Seq = f2.lastSeq;
        await f2.stop();
        await advance([f1], START + minutesMs(6));
        const c1 = await clearingOf(client, topology, I1);
        expect(c1.missing).toEqual(['f2']);
        expect(Object.keys(c1.feeders)).toEqual(['f1']);
        // f1 alone: 240 kW against the 100 kW transformer
        expect(c1).toMatchObject({ binding: 'import', usdPerKwh: 0.2 });
        const f1x = ofSession(await client.events('f1'), 'market.cleared', sessionId('exchange', I1))[0]
          .payload as { result: Record<string, unknown> };
        expect(f1x.result.clearingPriceUsdPerKwh).toBe(0.2);
        expect(f1x.result.curveMissedGate).toBeUndefined();

        // f2's curve for I1 comes late: refused by name
        await publishCurve(client.js, topology, {
          feeder: 'f2',
          intervalStartMs: I1,
          steps: [{ id: 'sell@0.03', side: 'sell', kw: 60, usdPerKwh: 0.03 }],
        });
        const deadline = Date.now() + 20_000;
        let refused: CurveRefusal[] = [];
        while (refused.length === 0 && Date.now() < deadline) {
          refused = (await readSubject(client.js, topology.stream, topology.refusedSubject)).map((l) =>
            JSON.parse(l),
          );
          await sleep(50);
        }
        expect(refused).toEqual([
          expect.objectContaining({ substation: 's1', feeder: 'f2', intervalStartMs: I1 }),
        ]);
        expect(refused[0].reason).toMatch(/feeder f2/);
        while (!printed.includes('refused: the curve of feeder f2') && Date.now() < deadline) await sleep(50);
        expect(printed).toContain(`refused: the curve of feeder f2 for ${new Date(I1).toISOString()}`);
        // the clearing stays as published
        expect(await clearingOf(client, topology, I1)).toEqual(c1);

        // f2 back: it replays its log and, at its gate, reads the clearing that left it out; its LEM
        // prices its source bus at the substation's price all the same
        f2 = await start('f2');
        expect(f2.live.replayed).toBe(f2Seq);
        await advance([f1, f2], START + minutesMs(11));
        const f2Events = await client.events('f2');
        const f2x = ofSession(f2Events, 'market.cleared', sessionId('exchange', I1))[0].payload as {
          result: Record<string, unknown>;
          lines: unknown[];
        };
        expect(f2x.result).toMatchObject({ clearingPriceUsdPerKwh: 0.2, curveMissedGate: true });
        expect(f2x.lines).toEqual([]);
        const f2Fills = ofSession(f2Events, 'market.fill', sessionId('exchange', I1));
        expect(f2Fills.every((e) => (e.payload as { kwh: number }).kwh === 0)).toBe(true);
        const f2Lem = ofSession(f2Events, 'market.cleared', sessionId('lem-rt', I1))[0].payload as LemCleared;
        expect(f2Lem.result.source).toEqual({ usdPerMwh: [200], from: ['substation'] });
        // f2 read the record: it published no curve for I1, so nothing more was refused for it (a
        // later interval may have cleared without f2 while it caught up: that is its own business)
        const refusedI1 = (await readSubject(client.js, topology.stream, topology.refusedSubject))
          .map((l) => JSON.parse(l) as CurveRefusal)
          .filter((r) => r.intervalStartMs === I1);
        expect(refusedI1).toHaveLength(1);
      } finally {
        await f1.stop().catch(() => {});
        await f2.stop().catch(() => {});
        coordinator.child.kill('SIGTERM');
        await client.close();
      }
      await new Promise((r) =>
        coordinator.child.exitCode !== null ? r(null) : coordinator.child.once('exit', r),
      );
      expect(coordinator.child.exitCode).toBe(0);
      expect(printed).toMatch(/without every feeder’s curve\), 0 curves refused as malformed, \d+ as late/);
    }, 180_000);
  },
);
