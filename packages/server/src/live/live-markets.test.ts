import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventToLine } from '@gridtier/core/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../store/index.js';
import { LiveMarkets } from './live-markets.js';
import { peerToPeerMarkets } from './markets.js';
import { FakeTime } from './test-support.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const DAY = Date.UTC(2026, 6, 15);
const H = 3_600_000;
const sell = (price: number, quantity: number) => ({ side: 'sell', price, quantity });
const buy = (price: number, quantity: number) => ({ side: 'buy', price, quantity });

async function open(dir: string, time: FakeTime) {
  const repo = await openRepository({ data: dir });
  const live = await LiveMarkets.open({
    repo,
    program: () => ({ markets: peerToPeerMarkets() }),
    clock: 'x60',
    startMs: DAY + 10 * H,
    source: time,
  });
  return { repo, live };
}

describe('LiveMarkets', () => {
  it('acknowledges orders once durable and rebuilds the engine exactly from its log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-live-'));
    dirs.push(dir);
    const time = new FakeTime(1_000_000);
    const a = await open(dir, time);
    await a.live.step();
    const sessions = a.live.engine.sessionInfos('intraday').filter((s) => s.state === 'open');
    expect(sessions.length).toBeGreaterThan(1);
    const session = sessions[0].id;
    const acks = await Promise.all([
      a.live.submit('alice', { market: 'intraday', session, clientOrderId: 's1', order: sell(0.1, 5) }),
      a.live.submit('bob', { market: 'intraday', session, clientOrderId: 'b1', order: buy(0.12, 3) }),
      a.live.submit('bob', { market: 'intraday', session, clientOrderId: 'b1', order: buy(0.12, 3) }),
      a.live.submit('carol', { market: 'layer1', clientOrderId: 'c1', order: buy(0.2, 1) }),
      a.live.submit('carol', { market: 'nowhere', clientOrderId: 'c2', order: buy(0.2, 1) }),
    ]);
    expect(acks.map((x) => x.ok)).toEqual([true, true, true, true, false]);
    expect(acks[2]).toMatchObject({ duplicate: true, orderId: (acks[1] as { orderId: string }).orderId });
    // every acknowledged order is in the database already
    const kept = await a.repo.events({ types: ['order.accepted'] });
    expect(kept.length).toBe(3);
    const s1 = (acks[0] as { orderId: string }).orderId;
    expect((await a.live.replace('alice', 'intraday', s1, sell(0.11, 4))).ok).toBe(true);
    // 40 minutes of accelerated time: layer1 and layer3 sessions gate and clear, the intraday hour stays open
    time.t += (40 * 60_000) / 60;
    await a.live.step();
    // a step's events are committed in the background, with the next orders
    await a.live.durable();
    expect((await a.repo.events({ types: ['market.cleared'] })).length).toBeGreaterThan(0);
    const before = (await a.repo.events()).map(eventToLine);
    await a.live.stop();
    await a.repo.close();

    const b = await open(dir, time);
    expect(b.live.replayed).toBe(before.length);
    expect(b.live.lastSeq).toBe(before.length);
    // the order book came back: bob's remaining demand is gone, alice's sale still rests
    const again = await b.live.submit('bob', {
      market: 'intraday',
      session,
      clientOrderId: 'b1',
      order: buy(0.12, 3),
    });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    const cross = await b.live.submit('dave', {
      market: 'intraday',
      session,
      clientOrderId: 'd1',
      order: buy(0.2, 10),
    });
    expect(cross.ok).toBe(true);
    const fills = await b.repo.events({ types: ['market.fill'], visibleTo: ['alice'] });
    const aliceKwh = fills
      .filter((e) => e.to?.includes('alice'))
      .map((e) => (e.payload as { kwh: number }).kwh);
    // 3 kWh to bob before the restart, then the 4 kWh the replacement left open to dave
    expect(aliceKwh).toEqual([3, 4]);
    const after = (await b.repo.events()).map(eventToLine);
    expect(after.slice(0, before.length)).toEqual(before);
    await b.live.stop();
    await b.repo.close();
  });
});
