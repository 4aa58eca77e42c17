import type { TradeOrder } from '../orders/index.js';

/**
 * One order resting in the book. `open` is the unfilled quantity; 0 marks the entry dead, which
 * is how cancellation stays O(1): the entry is left in its queue and skipped later. A dead entry
 * never comes back to life — re-queueing an order (replace) makes a new entry.
 */
export class RestingEntry {
  constructor(
    readonly id: string,
    /** the order as submitted; price and quantity may since have changed (see `price`, `open`) */
    readonly order: TradeOrder,
    readonly price: number,
    public open: number,
    readonly owner: string | undefined,
    /** Infinity unless the order is GTD */
    readonly expiresAt: number,
    /** arrival sequence: the tie rule of the expiry heap */
    readonly seq: number,
    readonly level: Level,
  ) {}
}

/** Dead entries tolerated in a queue before it is compacted, so small queues are never copied. */
const COMPACT_SLACK = 32;

/**
 * The orders resting at one price, first in first out: an array with a head index instead of
 * `shift` (which copies), dead entries skipped at the head and compacted away once they
 * outnumber the live ones.
 */
export class Level {
  private queue: RestingEntry[] = [];
  private head = 0;
  /** live entries in the queue */
  liveCount = 0;
  /** open quantity of the live entries */
  quantity = 0;

  constructor(readonly price: number) {}

  push(entry: RestingEntry): void {
    this.queue.push(entry);
    this.liveCount++;
    this.quantity += entry.open;
  }

  /** The live entry first in time, undefined when the level is empty. */
  front(): RestingEntry | undefined {
    const queue = this.queue;
    while (this.head < queue.length && queue[this.head].open === 0) this.head++;
    return queue[this.head];
  }

  /** Fills `quantity` of the front entry; a filled entry leaves the queue. */
  fillFront(entry: RestingEntry, quantity: number): void {
    entry.open -= quantity;
    this.quantity -= quantity;
    if (entry.open === 0) {
      this.head++;
      this.lost();
    }
  }

  /** Takes a live entry off wherever it stands in the queue. */
  remove(entry: RestingEntry): void {
    this.quantity -= entry.open;
    entry.open = 0;
    this.lost();
  }

  /** Lowers a live entry's open quantity in place: it keeps its place in time. */
  reduce(entry: RestingEntry, open: number): void {
    this.quantity -= entry.open - open;
    entry.open = open;
  }

  /** Visits live entries in time order until `visit` returns false; returns whether it ran to the end. */
  everyLive(visit: (entry: RestingEntry) => boolean): boolean {
    const queue = this.queue;
    for (let i = this.head; i < queue.length; i++) {
      if (queue[i].open > 0 && !visit(queue[i])) return false;
    }
    return true;
  }

  private lost(): void {
    this.liveCount--;
    if (this.liveCount === 0) {
      // the total is reset rather than decremented, so rounding never leaves a phantom quantity
      this.queue.length = 0;
      this.head = 0;
      this.quantity = 0;
      return;
    }
    this.compactIfSparse();
  }

  private compactIfSparse(): void {
    const dead = this.queue.length - this.liveCount;
    if (dead <= COMPACT_SLACK || dead <= this.liveCount) return;
    const queue = this.queue;
    let n = 0;
    for (let i = this.head; i < queue.length; i++) if (queue[i].open > 0) queue[n++] = queue[i];
    queue.length = n;
    this.head = 0;
  }
}
