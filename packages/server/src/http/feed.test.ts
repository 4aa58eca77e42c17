import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { GridTierClient } from '../client/index.js';
import type { RunningServer } from '../server.js';
import { clientFor, testServer } from './test-support.js';

type Level = { price: number; quantity: number };
interface Message {
  seq: number;
  prevSeq?: number;
  type: string;
  to?: string[];
  session?: string;
  bids?: Level[];
  asks?: Level[];
  op?: string;
  ref?: unknown;
  ok?: boolean;
  orderId?: string;
  duplicate?: boolean;
  problem?: { field?: string; status: number };
}

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

/** A feed client that keeps the book of one session from depth messages, resyncing from a snapshot on a gap. */
class Watcher {
  readonly seen: Message[] = [];
  lastSeq = 0;
  gaps = 0;
  book: { seq: number; bids: Level[]; asks: Level[] } = { seq: 0, bids: [], asks: [] };
  private socket!: WebSocket;
  private resyncing = Promise.resolve();

  constructor(
    private readonly client: GridTierClient,
    private readonly drop: (m: Message) => boolean = () => false,
  ) {}

  async open(): Promise<this> {
    this.socket = new WebSocket(await this.client.feedUrl());
    this.socket.on('message', (data) => this.on(JSON.parse(String(data)) as Message));
    await new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
    return this;
  }

  private on(m: Message): void {
    if (m.type === 'feed.hello') {
      this.lastSeq = m.seq;
      return;
    }
    if (m.op === 'ack') {
      this.seen.push(m);
      return;
    }
    if (m.type === 'book.depth') {
      if (m.session === session && m.seq >= this.book.seq)
        this.book = { seq: m.seq, bids: m.bids!, asks: m.asks! };
      return;
    }
    if (this.drop(m)) return;
    if (m.prevSeq !== this.lastSeq) {
      this.gaps++;
      this.resyncing = this.resyncing.then(() => this.resync());
    }
    this.seen.push(m);
    this.lastSeq = m.seq;
  }

  private async resync(): Promise<void> {
    const snap = await this.client.book('intraday', session);
    if (snap.seq >= this.book.seq) this.book = { seq: snap.seq, bids: snap.bids, asks: snap.asks };
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async until(pred: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    await this.resyncing;
    expect(pred()).toBe(true);
  }

  close(): void {
    this.socket.close();
  }
}

describe('the WebSocket feed', () => {
  it('numbers every message so a client that drops some detects the gap and resyncs to the same book', async () => {
    const steady = await new Watcher(await clientFor(server, 'w1', 'device')).open();
    let n = 0;
    const lossy = await new Watcher(await clientFor(server, 'w2', 'device'), () => ++n % 4 === 0).open();
    const mine = await new Watcher(alice).open();
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
    await steady.until(() => steady.book.seq >= last);
    await lossy.until(() => lossy.book.seq >= last);
    expect(steady.gaps).toBe(0);
    expect(lossy.gaps).toBeGreaterThan(0);
    expect(steady.book).toEqual({ seq: steady.book.seq, bids: snapshot.bids, asks: snapshot.asks });
    expect({ bids: lossy.book.bids, asks: lossy.book.asks }).toEqual({
      bids: snapshot.bids,
      asks: snapshot.asks,
    });
    // a device sees the public tape only; alice sees her own orders being accepted, and no one else's
    expect(steady.seen.some((m) => m.type === 'market.trade')).toBe(true);
    expect(steady.seen.filter((m) => m.to !== undefined)).toEqual([]);
    await mine.until(() => mine.seen.filter((m) => m.type === 'order.accepted').length === 20);
    expect(mine.seen.every((m) => m.to === undefined || m.to.includes('alice'))).toBe(true);
    for (const w of [steady, lossy, mine]) w.close();
  });

  it('takes orders on the same socket, acknowledged once durable, idempotent by client order id', async () => {
    const w = await new Watcher(bob).open();
    const order = {
      market: 'intraday',
      session,
      clientOrderId: 'ws-1',
      order: { side: 'buy', price: 0.01, quantity: 1 },
    };
    w.send({ op: 'submit', ref: 1, ...order });
    w.send({ op: 'submit', ref: 2, ...order });
    w.send({ op: 'submit', ref: 3, ...order, order: { side: 'buy', price: -5, quantity: 1 } });
    w.send({ op: 'fly', ref: 4 });
    await w.until(() => w.seen.filter((m) => m.op === 'ack').length === 4);
    const acks = new Map(w.seen.filter((m) => m.op === 'ack').map((m) => [m.ref, m]));
    expect(acks.get(1)).toMatchObject({ ok: true, duplicate: false });
    expect(acks.get(2)).toMatchObject({ ok: true, duplicate: true, orderId: acks.get(1)!.orderId });
    // a client order id names one order: whatever comes with it again gets that order back
    expect(acks.get(3)).toMatchObject({ ok: true, duplicate: true, orderId: acks.get(1)!.orderId });
    expect(acks.get(4)).toMatchObject({ ok: false, problem: { field: 'op', status: 400 } });
    const fresh = { ...order, clientOrderId: 'ws-2', order: { side: 'buy', price: -5, quantity: 1 } };
    w.send({ op: 'submit', ref: 5, ...fresh });
    await w.until(() => w.seen.some((m) => m.ref === 5));
    expect(w.seen.find((m) => m.ref === 5)).toMatchObject({
      ok: false,
      problem: { field: 'order.price', status: 422 },
    });
    w.close();
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
