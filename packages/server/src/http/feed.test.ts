import { ApiProblem, FeedClient, type FeedMessage, type GridTierClient } from '@gridtier/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../server.js';
import { clientFor, testServer } from './test-support.js';

let server: RunningServer;
let alice: GridTierClient;
let bob: GridTierClient;
let session: string;

beforeAll(async () => {
  server = await testServer();
  alice = await clientFor(server, 'alice', 'prosumer');
  bob = await clientFor(server, 'bob', 'prosumer');
  session = (await alice.markets({ market: 'intraday' })).sessions[0].id;
}, 120_000);
afterAll(() => server.close(), 60_000);

/** The SDK's feed client on a lossy link: it never gets every fourth event. */
class LossyFeed extends FeedClient {
  private n = 0;

  protected override receive(m: FeedMessage): void {
    if (m.prevSeq !== undefined && ++this.n % 4 === 0) return;
    super.receive(m);
  }
}

/** A feed client that records the events it sees and keeps the session's book. */
async function watch(client: GridTierClient, lossy = false) {
  const seen: FeedMessage[] = [];
  const handlers = { onEvent: (m: FeedMessage) => seen.push(m) };
  const feed = lossy ? await LossyFeed.open(client, handlers) : await FeedClient.open(client, handlers);
  await feed.watchBook('intraday', session);
  return { feed, seen };
}

async function until(feed: FeedClient, pred: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  await feed.settled();
  expect(pred()).toBe(true);
}

describe('the WebSocket feed', () => {
  it('numbers every message so a client that drops some detects the gap and resyncs to the same book', async () => {
    const steady = await watch(await clientFor(server, 'w1', 'device'));
    const lossy = await watch(await clientFor(server, 'w2', 'device'), true);
    const mine = await watch(alice);
    let last = 0;
    for (let i = 0; i < 40; i++) {
      const who = i % 2 === 0 ? alice : bob;
      const side = i % 2 === 0 ? 'sell' : 'buy';
      const price = side === 'sell' ? 0.1 + (i % 7) / 100 : 0.08 + (i % 9) / 100;
      last = (
        await who.submit({
          market: 'intraday',
          session,
          clientOrderId: `f${i}`,
          order: { side, price, quantity: 1 + (i % 3) },
        })
      ).seq;
    }
    const snapshot = await alice.book('intraday', session);
    expect(snapshot.seq).toBeGreaterThanOrEqual(last);
    const book = (w: { feed: FeedClient }) => w.feed.book('intraday', session)!;
    await until(steady.feed, () => book(steady).seq >= last);
    await until(lossy.feed, () => book(lossy).seq >= last);
    expect(steady.feed.gaps).toBe(0);
    expect(lossy.feed.gaps).toBeGreaterThan(0);
    expect(book(steady)).toEqual({ seq: book(steady).seq, bids: snapshot.bids, asks: snapshot.asks });
    expect({ bids: book(lossy).bids, asks: book(lossy).asks }).toEqual({
      bids: snapshot.bids,
      asks: snapshot.asks,
    });
    // a device sees the public tape only; alice sees her own orders being accepted, and no one else's
    expect(steady.seen.some((m) => m.type === 'market.trade')).toBe(true);
    expect(steady.seen.filter((m) => m.to !== undefined)).toEqual([]);
    await until(mine.feed, () => mine.seen.filter((m) => m.type === 'order.accepted').length === 20);
    expect(mine.seen.every((m) => m.to === undefined || m.to.includes('alice'))).toBe(true);
    for (const w of [steady, lossy, mine]) w.feed.close();
  });

  it('takes orders on the same socket, acknowledged once durable, idempotent by client order id', async () => {
    const feed = await FeedClient.open(bob);
    const order = {
      market: 'intraday',
      session,
      clientOrderId: 'ws-1',
      order: { side: 'buy', price: 0.01, quantity: 1 },
    } as const;
    const [first, again, changed] = await Promise.all([
      feed.submit(order),
      feed.submit(order),
      feed.submit({ ...order, order: { side: 'buy', price: -5, quantity: 1 } }),
    ]);
    expect(first).toMatchObject({ duplicate: false });
    expect(again).toMatchObject({ duplicate: true, orderId: first.orderId });
    // a client order id names one order: whatever comes with it again gets that order back
    expect(changed).toMatchObject({ duplicate: true, orderId: first.orderId });
    const refused = await feed
      .submit({ ...order, clientOrderId: 'ws-2', order: { side: 'buy', price: -5, quantity: 1 } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiProblem);
    expect(refused).toMatchObject({ status: 422, field: 'order.price' });
    feed.close();
    // an operation the socket does not know is refused naming the field
    const ws = new WebSocket(await bob.feedUrl());
    const answer = new Promise<{ ok: boolean; problem: { field: string; status: number } }>((resolve) =>
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.op === 'ack') resolve(m);
      }),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'fly', ref: 4 }));
    expect(await answer).toMatchObject({ ok: false, problem: { field: 'op', status: 400 } });
    ws.close();
  });

  it('refuses a connection without a valid token', async () => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/feed?access_token=forged`);
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    ws.on('error', () => {});
    ws.terminate();
  });
});
