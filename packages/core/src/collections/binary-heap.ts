/**
 * A binary heap ordered by `before(a, b)` (a comes out first). The book keeps its price levels
 * and its GTD expiries here; removal is lazy (the owner skips dead items when they surface), so
 * the heap only needs push, pop, a bulk filter and an ordered walk.
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Drops every item `keep` refuses and restores heap order in O(n): the purge of lazily dead items. */
  retain(keep: (item: T) => boolean): void {
    const items = this.items;
    let n = 0;
    for (let i = 0; i < items.length; i++) if (keep(items[i])) items[n++] = items[i];
    items.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /**
   * Visits items best first without removing any, until `visit` returns false. Costs
   * O(k log k) for k visited: a best-first search over the heap's tree, whose frontier is a
   * second heap of positions.
   */
  visitInOrder(visit: (item: T) => boolean): void {
    const items = this.items;
    if (items.length === 0) return;
    const frontier = new BinaryHeap<number>((i, j) => this.before(items[i], items[j]));
    frontier.push(0);
    while (frontier.size > 0) {
      const i = frontier.pop()!;
      if (!visit(items[i])) return;
      const left = 2 * i + 1;
      if (left < items.length) frontier.push(left);
      if (left + 1 < items.length) frontier.push(left + 1);
    }
  }

  private siftUp(i: number): void {
    const items = this.items;
    const item = items[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(items[child + 1], items[child])) child++;
      if (!this.before(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }
}
