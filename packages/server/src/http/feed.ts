import type { Socket } from 'node:net';
import type { EngineEvent, MarketService } from '@gridtier/core/engine';
import { ContinuousMarket } from '@gridtier/core/venues';
import type { WebSocket } from 'ws';
import { type Caller, SEES_ALL } from '../auth/index.js';
import type { LiveMarkets } from '../live/index.js';
import { lineOf } from '../store/index.js';

interface Subscriber {
  caller: Caller;
  socket: WebSocket;
  /** the sequence number of the last event sent to it */
  lastSent: number;
}

/** how much may wait unsent to one client before it is cut off as too slow */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEPTH_LEVELS = 20;

const entitled = (c: Caller, e: EngineEvent) =>
  e.to === undefined || SEES_ALL.has(c.role) || e.to.includes(c.name);

/**
 * The market-data feed over WebSocket. Each client gets the events it is entitled to (public
 * ones, and its own orders and fills; an auditor everything), each once durable, numbered with
 * the engine's sequence number and the number of the previous event sent to that client, so a
 * client that misses one sees the gap and resyncs from a snapshot. After each batch, the depth
 * of every continuous book that changed goes to all, stamped with the sequence number it is
 * current to. A client that cannot keep up is disconnected rather than buffered without end.
 */
export class Feed {
  private readonly subs = new Set<Subscriber>();
  private pending: EngineEvent[] = [];
  private pumping = false;
  private readonly books = new Map<string, ContinuousMarket>();

  constructor(
    private readonly live: LiveMarkets,
    markets: readonly MarketService[],
  ) {
    for (const m of markets) if (m instanceof ContinuousMarket) this.books.set(m.id, m);
    live.onEvent((e) => {
      this.pending.push(e);
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(() => void this.pump());
      }
    });
  }

  get subscribers(): number {
    return this.subs.size;
  }

  add(caller: Caller, socket: WebSocket): Subscriber {
    const sub: Subscriber = { caller, socket, lastSent: this.live.lastSeq };
    this.subs.add(sub);
    socket.on('close', () => this.subs.delete(sub));
    this.send(sub, {
      type: 'feed.hello',
      seq: this.live.lastSeq,
      participant: caller.name,
      role: caller.role,
    });
    return sub;
  }

  send(sub: Subscriber, message: unknown): void {
    this.sendText(sub, JSON.stringify(message));
  }

  /** Sends one message already serialized (a message that goes to many is serialized once). */
  private sendText(sub: Subscriber, text: string): void {
    if (sub.socket.readyState !== sub.socket.OPEN) return;
    // what waits from earlier turns of the event loop tells a slow client; what this turn holds
    // corked is ours (a burst after a long commit), so it is judged only when the turn starts
    if (!this.isCorked(sub.socket) && sub.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      sub.socket.close(1013, 'too slow: reconnect and resync from a snapshot');
      this.subs.delete(sub);
      return;
    }
    this.cork(sub.socket);
    sub.socket.send(text);
  }

  private isCorked(socket: WebSocket): boolean {
    const tcp = tcpOf(socket);
    return tcp !== undefined && this.corked.has(tcp);
  }

  private readonly corked = new Set<Socket>();

  /**
   * Holds a socket's writes until the event loop's check phase, so the acknowledgements and
   * events one commit releases leave in one write rather than a system call each (at 10,000
   * orders a second the calls alone took a tenth of the server's time).
   */
  private cork(socket: WebSocket): void {
    const tcp = tcpOf(socket);
    if (tcp === undefined || this.corked.has(tcp)) return;
    if (this.corked.size === 0) setImmediate(() => this.uncorkAll());
    tcp.cork();
    this.corked.add(tcp);
  }

  private uncorkAll(): void {
    for (const tcp of this.corked) tcp.uncork();
    this.corked.clear();
  }

  /** Sends what the log has committed, then the depth of the books it touched. */
  private async pump(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        await this.live.durable();
        const touched = new Set<string>();
        for (const e of batch) {
          const p = e.payload as { market?: string; session?: string };
          if (p?.market !== undefined && p.session !== undefined && this.books.has(p.market))
            touched.add(`${p.market}\u0000${p.session}`);
          // serialized once, with each subscriber's own prevSeq appended as the last field
          let head: string | undefined;
          for (const sub of this.subs) {
            if (e.seq <= sub.lastSent || !entitled(sub.caller, e)) continue;
            head ??= eventMessageHead(e);
            this.sendText(sub, `${head},"prevSeq":${sub.lastSent}}`);
            sub.lastSent = e.seq;
          }
        }
        if (touched.size > 0 && this.subs.size > 0) await this.depth(touched);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async depth(touched: Set<string>): Promise<void> {
    const views = await this.live.read(() =>
      [...touched].map((k) => {
        const [market, session] = k.split('\u0000');
        const book = this.books.get(market)!.book(session);
        return {
          type: 'book.depth',
          seq: this.live.lastSeq,
          market,
          session,
          bids: book?.depth('buy', DEPTH_LEVELS) ?? [],
          asks: book?.depth('sell', DEPTH_LEVELS) ?? [],
        };
      }),
    );
    for (const v of views) {
      const text = JSON.stringify(v);
      for (const sub of this.subs) this.sendText(sub, text);
    }
  }
}

/**
 * An event as the feed sends it, without its closing brace (each subscriber's prevSeq follows):
 * its journal line — seq, time, type, actor, to, payload — made once for the journal and the feed.
 */
function eventMessageHead(e: EngineEvent): string {
  return lineOf(e).slice(0, -1);
}

/**
 * ws's underlying TCP socket (its `_socket`, not part of its typed API); without it, writes go
 * out one by one and no client is judged corked.
 */
function tcpOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}
