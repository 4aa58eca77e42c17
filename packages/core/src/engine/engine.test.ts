import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, minutesMs, SimulatedClock } from '../time/index.js';
import { Engine, sessionId } from './engine.js';
import { eventToLine, lineToEvent } from './event.js';
import { MemoryEventLog } from './event-log.js';
import { eventLogSuite } from './event-log-suite.js';
import { ScriptedAgent, TestCallMarket } from './test-support.js';

const day = Date.UTC(2026, 6, 15);

function engineFor(...markets: TestCallMarket[]) {
  const engine = new Engine({ clock: new SimulatedClock(day - MS_PER_DAY) });
  for (const m of markets) engine.addMarket(m);
  engine.planDay(day);
  return engine;
}

eventLogSuite({ name: 'in memory', open: async () => new MemoryEventLog() });

describe('engine', () => {
  it('stamps every event with one increasing sequence number and the clock time', async () => {
    const m = new TestCallMarket('l1');
    const engine = engineFor(m);
    await engine.run(day + MS_PER_DAY);
    const events = (engine.log as MemoryEventLog).events;
    expect(events.length).toBeGreaterThan(0);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(events[i - 1].t);
    });
    // 48 slots: each opens, closes its gate and clears
    expect(events.filter((e) => e.type === 'market.cleared')).toHaveLength(48);
  });

  it('delivers an event to those whose market filters take it, in the order they joined', async () => {
    const engine = engineFor(new TestCallMarket('l1'), new TestCallMarket('l2'));
    const served: string[] = [];
    const watch = (id: string, interests: string[]) =>
      engine.addAgent(
        new ScriptedAgent(id, interests, undefined, (e) => {
          if (e.type === 'market.cleared')
            served.push(`${e.seq}:${id}:${(e.payload as { market: string }).market}`);
        }),
      );
    watch('only-l1', ['market.cleared@l1']);
    watch('all', ['market.cleared']);
    watch('prefix', ['market.']);
    watch('both', ['market.cleared@l2', 'market.cleared@l1']);
    watch('only-l2', ['market.cleared@l2']);
    await engine.run(day + MS_PER_DAY);
    const clearings = (engine.log as MemoryEventLog).events.filter((e) => e.type === 'market.cleared');
    const expected = clearings.flatMap((e) => {
      const m = (e.payload as { market: string }).market;
      const ids = m === 'l1' ? ['only-l1', 'all', 'prefix', 'both'] : ['all', 'prefix', 'both', 'only-l2'];
      return ids.map((id) => `${e.seq}:${id}:${m}`);
    });
    expect(clearings).toHaveLength(96);
    expect(served).toEqual(expected);
  });

  it('gates: no order stamped after its gate is accepted, and every accepted order is cleared or cancelled', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            atMin: fc.integer({ min: -60, max: 24 * 60 }),
            slot: fc.integer({ min: 0, max: 47 }),
            side: fc.constantFrom('buy' as const, 'sell' as const),
            kwh: fc.double({ min: 0.001, max: 10, noNaN: true }),
            cancelAfterMin: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
          }),
          { maxLength: 60 },
        ),
        async (stream) => {
          const m = new TestCallMarket('l1');
          const engine = engineFor(m);
          const cancelled = new Set<string>();
          const accepted: { orderId: string; session: string; seq: number }[] = [];
          const agent = new ScriptedAgent('p1', [], (ctx) => {
            for (const o of stream) {
              ctx.at(day + minutesMs(o.atMin), () => {
                const session = sessionId('l1', day + minutesMs(30 * o.slot));
                const ack = ctx.submit({ market: 'l1', session, order: { side: o.side, kwh: o.kwh } });
                if (!ack.ok) return;
                accepted.push({ orderId: ack.orderId, session: ack.session, seq: ack.seq });
                if (o.cancelAfterMin !== undefined)
                  ctx.at(ctx.now() + minutesMs(o.cancelAfterMin), () => {
                    if (ctx.cancel('l1', ack.orderId).ok) cancelled.add(ack.orderId);
                  });
              });
            }
          });
          engine.addAgent(agent);
          await engine.run(day + MS_PER_DAY);
          const gates = new Map(
            (engine.log as MemoryEventLog).events
              .filter((e) => e.type === 'market.gate')
              .map((e) => [(e.payload as { session: string }).session, e.seq]),
          );
          for (const a of accepted) {
            expect(a.seq).toBeLessThan(gates.get(a.session)!);
            const inClearing = m.cleared.get(a.session)!.includes(a.orderId);
            expect(inClearing !== cancelled.has(a.orderId)).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });

  it('refuses with the field at fault: unknown market, session not open, gate closed, bad order', async () => {
    const engine = engineFor(new TestCallMarket('l1'));
    const acks: unknown[] = [];
    engine.addAgent(
      new ScriptedAgent('p1', [], (ctx) => {
        ctx.at(day + minutesMs(10), () => {
          acks.push(ctx.submit({ market: 'nope', order: {} }));
          acks.push(
            ctx.submit({ market: 'l1', session: 'l1@2026-07-15T00:00Z', order: { side: 'buy', kwh: 1 } }),
          );
          acks.push(
            ctx.submit({ market: 'l1', session: 'l1@2026-07-15T23:30Z', order: { side: 'buy', kwh: 1 } }),
          );
          acks.push(
            ctx.submit({ market: 'l1', session: 'l1@2026-07-15T01:00Z', order: { side: 'hold', kwh: 1 } }),
          );
          acks.push(ctx.submit({ market: 'l1', order: { side: 'buy', kwh: 1 } }));
        });
      }),
    );
    await engine.run(day + minutesMs(20));
    expect(acks).toMatchObject([
      { ok: false, code: 'UNKNOWN_MARKET', field: 'market' },
      { ok: false, code: 'GATE_CLOSED', field: 'session' },
      { ok: false, code: 'NOT_OPEN', field: 'session' },
      { ok: false, code: 'INVALID_ORDER', field: 'side' },
      { ok: true, session: 'l1@2026-07-15T01:00Z' },
    ]);
    const rejected = (engine.log as MemoryEventLog).events.filter((e) => e.type === 'order.rejected');
    expect(rejected).toHaveLength(4);
    expect(rejected.every((e) => e.to?.[0] === 'p1')).toBe(true);
  });

  it('makes one order of a client order id submitted twice', async () => {
    const engine = engineFor(new TestCallMarket('l1'));
    const acks: { ok: boolean; orderId?: string; duplicate?: boolean }[] = [];
    engine.addAgent(
      new ScriptedAgent('p1', [], (ctx) => {
        ctx.at(day + minutesMs(10), () => {
          for (let i = 0; i < 3; i++)
            acks.push(
              ctx.submit({ market: 'l1', clientOrderId: 'a', order: { side: 'buy', kwh: 1 } }) as never,
            );
        });
      }),
    );
    await engine.run(day + minutesMs(40));
    expect(new Set(acks.map((a) => a.orderId)).size).toBe(1);
    expect(acks.map((a) => a.duplicate ?? false)).toEqual([false, true, true]);
    expect((engine.log as MemoryEventLog).events.filter((e) => e.type === 'order.accepted')).toHaveLength(1);
  });

  it('delivers private events only to their participant and its aggregator', async () => {
    const engine = engineFor(new TestCallMarket('l1'));
    const order = (side: string) => (ctx: import('./agent.js').AgentContext) =>
      ctx.at(day + minutesMs(10), () => {
        ctx.submit({ market: 'l1', order: { side, kwh: 2 } });
      });
    const buyer = new ScriptedAgent('hh1', ['market.fill', 'market.cleared'], order('buy'));
    const seller = new ScriptedAgent('hh2', ['market.fill'], order('sell'));
    const vpp = new ScriptedAgent('vpp1', ['market.fill']);
    engine.addAgent(buyer, { entrusts: ['vpp1'] });
    engine.addAgent(seller);
    engine.addAgent(vpp);
    await engine.run(day + minutesMs(40));
    const fillsOf = (a: ScriptedAgent) =>
      a.seen.filter((e) => e.type === 'market.fill').map((e) => e.to?.[0]);
    expect(fillsOf(buyer)).toEqual(['hh1']);
    expect(fillsOf(seller)).toEqual(['hh2']);
    expect(fillsOf(vpp)).toEqual(['hh1']);
    expect(buyer.seen.some((e) => e.type === 'market.cleared')).toBe(true);
  });

  it('isolates an agent that throws: it is suspended, its orders are refused naming it, the day goes on', async () => {
    const m = new TestCallMarket('l1');
    const engine = engineFor(m);
    let tries = 0;
    const refused: unknown[] = [];
    const bad = new ScriptedAgent(
      'bad',
      ['session.opened'],
      () => {},
      (_e, ctx) => {
        if (++tries === 3) throw new Error('boom');
        if (tries > 3) refused.push(ctx.submit({ market: 'l1', order: { side: 'buy', kwh: 1 } }));
      },
    );
    const good = new ScriptedAgent('good', ['session.opened']);
    engine.addAgent(bad);
    engine.addAgent(good);
    await engine.run(day + MS_PER_DAY);
    expect(engine.isSuspended('bad')).toBe(true);
    expect(tries).toBe(3);
    expect(engine.submit('bad', { market: 'l1', order: { side: 'buy', kwh: 1 } })).toMatchObject({
      ok: false,
      code: 'SUSPENDED',
      reason: expect.stringContaining('bad'),
    });
    expect(good.seen.length).toBe(48);
    const failed = (engine.log as MemoryEventLog).events.filter((e) => e.type === 'agent.failed');
    expect(failed.map((e) => e.payload)).toEqual([{ agent: 'bad', kind: 'test', error: 'boom' }]);
  });

  it('writes and reads its events as JSON lines, naming the line of a bad one', () => {
    const e = { seq: 7, t: day + 1, type: 'x.y', actor: 'a', to: ['b'], payload: { v: [0.1, 1e-300, -3] } };
    expect(lineToEvent(eventToLine(e), 'log', 1)).toEqual(e);
    expect(() => lineToEvent('{"seq":0}', 'events.jsonl', 12)).toThrow(/events\.jsonl:12: seq/);
    expect(() => lineToEvent('{', 'events.jsonl', 3)).toThrow(/events\.jsonl:3/);
  });
});
