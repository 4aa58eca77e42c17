import { describe, expect, it } from 'vitest';
import {
  type AgentContext,
  Engine,
  type EngineEvent,
  type MarketService,
  type MemoryEventLog,
} from '../engine/index.js';
import { ScriptedAgent } from '../engine/test-support.js';
import { InProcessLemClearer } from '../market/index.js';
import { losslessFeeder, stateOf } from '../market/lem/test-support.js';
import { HighsSolver } from '../opt/index.js';
import { MS_PER_DAY, MS_PER_HOUR, minutesMs, PRODUCTS, SimulatedClock, windowOf } from '../time/index.js';
import { CallMarket } from './call-market.js';
import { ContinuousMarket } from './continuous-market.js';
import { LemMarket } from './lem-market.js';

const day = Date.UTC(2026, 6, 15);

function dayOf(markets: MarketService[]) {
  const engine = new Engine({ clock: new SimulatedClock(day - MS_PER_DAY) });
  for (const m of markets) engine.addMarket(m);
  engine.planDay(day);
  return engine;
}

const eventsOf = (e: Engine, type: string) => (e.log as MemoryEventLog).events.filter((x) => x.type === type);
const sumUsd = (events: EngineEvent[]) =>
  events.reduce(
    (a, e) =>
      a +
      (e.type === 'market.fill'
        ? (e.payload as { usd: number }).usd
        : (e.payload as { lines: { usd: number }[] }).lines.reduce((b, l) => b + l.usd, 0)),
    0,
  );

function trader(id: string, at: number, orders: { market: string; session?: string; order: unknown }[]) {
  const acks: unknown[] = [];
  const agent = new ScriptedAgent(id, ['market.fill'], (ctx: AgentContext) =>
    ctx.at(at, () => {
      for (const o of orders) acks.push(ctx.submit(o));
    }),
  );
  return { agent, acks };
}

describe('call market', () => {
  it('clears a Layer I slot by uniform price, charges the network fee, and money sums to zero', async () => {
    const l1 = new CallMarket({
      id: 'l1',
      kind: 'layer1',
      product: PRODUCTS.ahead30,
      mechanism: 'uniform',
      networkChargeUsdPerKwh: 0.02,
    });
    const engine = dayOf([l1]);
    const at = day + minutesMs(5);
    const a = trader('a', at, [{ market: 'l1', order: { side: 'sell', price: 0.1, quantity: 3 } }]);
    const b = trader('b', at, [{ market: 'l1', order: { side: 'buy', price: 0.2, quantity: 2 } }]);
    engine.addAgent(a.agent);
    engine.addAgent(b.agent);
    await engine.run(day + MS_PER_HOUR);
    const fills = eventsOf(engine, 'market.fill').map(
      (e) => e.payload as { participant: string; kwh: number; usd: number },
    );
    const cleared = eventsOf(engine, 'market.cleared').filter(
      (e) => (e.payload as { result: { trades: number } }).result.trades > 0,
    );
    expect(cleared).toHaveLength(1);
    const { result } = cleared[0].payload as {
      result: { clearingPriceUsdPerKwh: number; volumeKwh: number };
    };
    expect(result.volumeKwh).toBe(2);
    const p = result.clearingPriceUsdPerKwh;
    // the public tape: the match at the clearing price, between the clearing and the fills, no identities
    const tape = eventsOf(engine, 'market.trade');
    expect(tape.map((e) => e.payload)).toEqual([
      { market: 'l1', session: expect.any(String), usdPerKwh: p, kwh: 2 },
    ]);
    expect(tape[0].seq).toBeGreaterThan(cleared[0].seq);
    expect(tape[0].seq).toBeLessThan(Math.min(...eventsOf(engine, 'market.fill').map((e) => e.seq)));
    expect(fills).toEqual([
      expect.objectContaining({ participant: 'a', kwh: 2, usd: expect.closeTo(2 * p, 12) }),
      expect.objectContaining({ participant: 'b', kwh: -2, usd: expect.closeTo(-2 * (p + 0.02), 12) }),
    ]);
    expect(sumUsd([...eventsOf(engine, 'market.fill'), ...eventsOf(engine, 'market.cleared')])).toBeCloseTo(
      0,
      12,
    );
  });

  it('refuses what a call market cannot take, naming the field', () => {
    const m = new CallMarket({
      id: 'l1',
      kind: 'layer1',
      product: PRODUCTS.ahead30,
      mechanism: 'mda',
      capUsdPerKwh: 1,
    });
    expect(m.validate({ side: 'buy', quantity: 1, type: 'market' }, 'a')).toMatchObject({
      ok: false,
      field: 'type',
    });
    expect(m.validate({ side: 'buy', price: 2, quantity: 1 }, 'a')).toMatchObject({
      ok: false,
      field: 'price',
    });
    expect(m.validate({ side: 'buy', price: 0.1, quantity: -1 }, 'a')).toMatchObject({
      ok: false,
      field: 'quantity',
    });
    expect(m.validate({ side: 'buy', price: 0.1, quantity: 1, owner: 'b' }, 'a')).toMatchObject({
      ok: false,
      field: 'owner',
    });
    expect(m.validate({ side: 'buy', price: 0.1, quantity: 1, timeInForce: 'IOC' }, 'a')).toMatchObject({
      ok: false,
      field: 'timeInForce',
    });
  });
});

describe('continuous market', () => {
  it('trades when orders cross and expires what rests at the gate', async () => {
    const id = new ContinuousMarket({ id: 'id', product: PRODUCTS.intraday60 });
    const engine = dayOf([id]);
    const session = `id@2026-07-15T10:00Z`;
    const a = trader('a', day + MS_PER_HOUR, [
      { market: 'id', session, order: { side: 'sell', price: 0.1, quantity: 3 } },
    ]);
    const b = trader('b', day + 2 * MS_PER_HOUR, [
      { market: 'id', session, order: { side: 'buy', price: 0.15, quantity: 1 } },
    ]);
    engine.addAgent(a.agent);
    engine.addAgent(b.agent);
    await engine.run(day + 10 * MS_PER_HOUR);
    expect(eventsOf(engine, 'market.trade').map((e) => e.payload)).toEqual([
      expect.objectContaining({ session, usdPerKwh: 0.1, kwh: 1 }),
    ]);
    expect(a.agent.seen.map((e) => (e.payload as { kwh: number }).kwh)).toEqual([1]);
    const closed = eventsOf(engine, 'market.cleared').find(
      (e) => (e.payload as { session: string }).session === session,
    );
    expect((closed!.payload as { result: unknown }).result).toEqual({
      volumeKwh: 1,
      trades: 1,
      lastPriceUsdPerKwh: 0.1,
      expired: 1,
    });
  });
});

describe('LEM market', () => {
  it('clears the day ahead at the ISO price on a lossless feeder and holds its schedules for real time', async () => {
    const feeder = stateOf(losslessFeeder);
    const solver = await HighsSolver.create();
    // 40 $/MWh in every interval: 24 hours for the day-ahead, one for a real-time interval
    const iso = (w: { deliveryStartMs: number; deliveryEndMs: number }) =>
      new Array<number>(w.deliveryEndMs - w.deliveryStartMs === MS_PER_DAY ? 24 : 1).fill(40);
    const common = {
      feeder,
      clearer: new InProcessLemClearer(feeder, solver),
      voltageLimitsPu: [0.9, 1.1] as [number, number],
      isoPricesUsdPerMwh: iso,
      loadMultiplier: 0,
    };
    const da = new LemMarket({ id: 'da', market: 'dam', product: PRODUCTS.dayAhead, ...common });
    const rt = new LemMarket({ id: 'rt', market: 'rtm', product: PRODUCTS.rt5, dayAhead: da, ...common });
    const engine = dayOf([da, rt]);
    const daGate = windowOf(PRODUCTS.dayAhead, day).gateMs;
    const bid = { type: 'bid', bus: 'b1', steps: [{ price: 200, quantityKw: 100 }], intervals: [0] };
    const a = trader('a', daGate - minutesMs(30), [{ market: 'da', order: bid }]);
    const b = trader('b', day + minutesMs(2), [
      {
        market: 'rt',
        session: 'rt@2026-07-15T00:05Z',
        order: { ...bid, steps: [{ price: 200, quantityKw: 130 }], intervals: undefined },
      },
    ]);
    engine.addAgent(a.agent);
    engine.addAgent(b.agent);
    await engine.run(day + minutesMs(10));
    const fills = eventsOf(engine, 'market.fill').map(
      (e) => e.payload as { market: string; kwh: number; usd: number },
    );
    expect(fills[0]).toMatchObject({ market: 'da', kwh: -100, usd: expect.closeTo(-4, 6) });
    // b answers for its own schedule only: a's day-ahead 100 kW is not held against it
    expect(fills[1]).toMatchObject({
      market: 'rt',
      kwh: expect.closeTo(-130 / 12, 9),
      usd: expect.closeTo((-130 / 12) * 0.04, 6),
    });
    expect(sumUsd([...eventsOf(engine, 'market.fill'), ...eventsOf(engine, 'market.cleared')])).toBeCloseTo(
      0,
      9,
    );
    expect(da.heldKw(day + minutesMs(5), 'a', 'b1|')).toBe(-100);
    const cleared = eventsOf(engine, 'market.cleared').find(
      (e) => (e.payload as { market: string }).market === 'da',
    );
    const dlmp = (
      cleared!.payload as { result: { dlmp: { nodes: string[]; intervals: { total: number[] }[] } } }
    ).result.dlmp;
    expect(dlmp.intervals).toHaveLength(24);
    for (const p of dlmp.intervals[0].total) expect(p).toBeCloseTo(40, 6);
  });
});
