import { BinaryHeap } from '../../collections/index.js';
import { Level, type RestingEntry } from './level.js';

/** Empty levels tolerated in the heap beyond the live ones before a purge. */
const PURGE_SLACK = 64;

/**
 * One side of the book: its price levels by price, and a heap of the same levels for the best
 * price. A level that empties stays in both (a new order at its price reuses it) until it
 * surfaces at the top of the heap or a purge drops the empty ones, so the map and the heap
 * always hold the same levels and no price is ever in the heap twice.
 */
export class BookSide {
  private readonly levels = new Map<number, Level>();
  private readonly heap: BinaryHeap<Level>;
  /** levels with at least one live order */
  private liveLevels = 0;

  constructor(readonly isBid: boolean) {
    this.heap = new BinaryHeap<Level>(isBid ? (a, b) => a.price > b.price : (a, b) => a.price < b.price);
  }

  /** The best level with orders, dropping the empty ones above it. */
  best(): Level | undefined {
    let top = this.heap.peek();
    while (top !== undefined && top.liveCount === 0) {
      this.heap.pop();
      this.levels.delete(top.price);
      top = this.heap.peek();
    }
    return top;
  }

  /** Whether an incoming order limited to `limit` (±Infinity for a market order) may trade at `price`. */
  reaches(price: number, limit: number): boolean {
    return this.isBid ? price >= limit : price <= limit;
  }

  /** The level at `price`, created when missing. */
  levelAt(price: number): Level {
    let level = this.levels.get(price);
    if (level === undefined) {
      if (this.heap.size >= 2 * this.liveLevels + PURGE_SLACK) this.purge();
      level = new Level(price);
      this.levels.set(price, level);
      this.heap.push(level);
    }
    return level;
  }

  /** Queues an entry at the back of its level (the entry was built with `levelAt(price)`). */
  push(entry: RestingEntry): void {
    if (entry.level.liveCount === 0) this.liveLevels++;
    entry.level.push(entry);
  }

  fillFront(entry: RestingEntry, quantity: number): void {
    entry.level.fillFront(entry, quantity);
    if (entry.level.liveCount === 0) this.liveLevels--;
  }

  remove(entry: RestingEntry): void {
    entry.level.remove(entry);
    if (entry.level.liveCount === 0) this.liveLevels--;
  }

  /** Visits levels with orders best first until `visit` returns false. */
  visitLevels(visit: (level: Level) => boolean): void {
    this.heap.visitInOrder((level) => level.liveCount === 0 || visit(level));
  }

  clear(): void {
    this.levels.clear();
    this.heap.clear();
    this.liveLevels = 0;
  }

  private purge(): void {
    this.heap.retain((level) => {
      if (level.liveCount > 0) return true;
      this.levels.delete(level.price);
      return false;
    });
  }
}
