import WebSocket from 'ws';
import type { GridTierClient } from './client.js';
import { ApiProblem } from './problem.js';
import type { BookLevel, OrderAckView, OrderSubmission } from './types.js';

/** One message of the feed: an event of the engine, a book's depth, or an order's answer. */
export interface FeedMessage {
  seq: number;
  /** the sequence number of the event sent before this one to this client: a gap shows */
  prevSeq?: number;
  type: string;
  time?: string;
  actor?: string;
  to?: string[];
  payload?: Record<string, unknown>;
  market?: string;
  session?: string;
  bids?: BookLevel[];
  asks?: BookLevel[];
}

export interface FeedHandlers {
  /** every event, in order, once (what a gap lost is not replayed here: the books resync) */
  onEvent?: (message: FeedMessage) => void;
  /** `missedAfter` is the last event seen before the gap, `resumedAt` the first after it */
  onGap?: (missedAfter: number, resumedAt: number) => void;
  /** a resync failed (the feed goes on; the next gap tries again) */
  onError?: (error: unknown) => void;
}

interface Ack {
  op: 'ack';
  ref: number;
  ok: boolean;
  orderId?: string;
  session?: string;
  seq?: number;
  duplicate?: boolean;
  problem?: { status: number; [k: string]: unknown };
}

/** A continuous book kept from depth messages, stamped with the sequence number it is current to. */
export interface KeptBook {
  seq: number;
  bids: BookLevel[];
  asks: BookLevel[];
}

/**
 * The WebSocket feed of market data and order entry. Every event carries the engine's sequence
 * number and the previous one sent to this client; when they do not meet, events were lost, and
 * every book watched is fetched again from a snapshot (which carries the sequence number it is
 * current to), as exchange feeds resync. Orders sent on the socket are answered once durable.
 */
export class FeedClient {
  /** the last event seen */
  lastSeq = 0;
  gaps = 0;
  private readonly books = new Map<string, KeptBook>();
  private readonly waiting = new Map<number, (ack: Ack) => void>();
  private nextRef = 1;
  private resyncing: Promise<void> = Promise.resolve();

  /** (use `open`) */
  constructor(
    private readonly client: GridTierClient,
    private readonly socket: WebSocket,
    private readonly handlers: FeedHandlers,
  ) {}

  /** Connects to the feed (a subclass opens as itself). */
  static async open<F extends FeedClient>(
    this: new (
      client: GridTierClient,
      socket: WebSocket,
      handlers: FeedHandlers,
    ) => F,
    client: GridTierClient,
    handlers: FeedHandlers = {},
  ): Promise<F> {
    const socket = new WebSocket(await client.feedUrl());
    const feed = new this(client, socket, handlers);
    socket.on('message', (data) => feed.receive(JSON.parse(String(data))));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.on('error', (e) => handlers.onError?.(e));
    return feed;
  }

  /** Keeps the book of a continuous market's session: from a snapshot now, then from depth messages. */
  async watchBook(market: string, session: string): Promise<void> {
    this.books.set(key(market, session), { seq: -1, bids: [], asks: [] });
    await this.resync(market, session);
  }

  book(market: string, session: string): KeptBook | undefined {
    return this.books.get(key(market, session));
  }

  /** Resolves once every resync started so far is over. */
  settled(): Promise<void> {
    return this.resyncing;
  }

  /** Submits an order on the socket; resolves with its acknowledgement, rejects with the problem. */
  submit(order: OrderSubmission): Promise<OrderAckView> {
    const ref = this.nextRef++;
    return new Promise((resolve, reject) => {
      this.waiting.set(ref, (ack) =>
        ack.ok
          ? resolve({
              orderId: ack.orderId!,
              session: ack.session!,
              seq: ack.seq!,
              duplicate: !!ack.duplicate,
            })
          : reject(new ApiProblem(ack.problem?.status ?? 400, ack.problem ?? {})),
      );
      this.socket.send(JSON.stringify({ op: 'submit', ref, ...order }));
    });
  }

  close(): void {
    this.socket.close();
  }

  /** Takes one message off the socket. */
  protected receive(m: FeedMessage & Partial<Ack>): void {
    if (m.op === 'ack') {
      const done = this.waiting.get(m.ref!);
      this.waiting.delete(m.ref!);
      done?.(m as Ack);
      return;
    }
    if (m.type === 'feed.hello') {
      this.lastSeq = m.seq;
      return;
    }
    if (m.type === 'book.depth') {
      const k = key(m.market!, m.session!);
      const kept = this.books.get(k);
      if (kept && m.seq >= kept.seq) this.books.set(k, { seq: m.seq, bids: m.bids!, asks: m.asks! });
      return;
    }
    if (m.prevSeq !== undefined && m.prevSeq !== this.lastSeq) {
      this.gaps++;
      this.handlers.onGap?.(this.lastSeq, m.seq);
      for (const k of this.books.keys()) {
        const [market, session] = k.split('\u0000');
        this.resyncing = this.resyncing.then(() =>
          this.resync(market, session).catch((e) => this.handlers.onError?.(e)),
        );
      }
    }
    this.lastSeq = m.seq;
    this.handlers.onEvent?.(m);
  }

  private async resync(market: string, session: string): Promise<void> {
    const snap = await this.client.book(market, session);
    const k = key(market, session);
    const kept = this.books.get(k);
    if (kept && snap.seq >= kept.seq) this.books.set(k, { seq: snap.seq, bids: snap.bids, asks: snap.asks });
  }
}

const key = (market: string, session: string) => `${market}\u0000${session}`;
