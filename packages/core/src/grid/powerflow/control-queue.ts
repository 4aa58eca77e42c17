/** A pending control action: who acts, when (seconds after now), and its handle. */
interface QueuedAction<T> {
  time: number;
  handle: number;
  owner: T;
}

/**
 * OpenDSS's control queue in static mode: actions sorted by time, the newest first among
 * equal times; each control iteration runs every action due at the earliest time, and time
 * itself does not advance.
 */
export class ControlQueue<T> {
  private items: QueuedAction<T>[] = [];
  private nextHandle = 1;

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  push(time: number, owner: T): number {
    const handle = this.nextHandle++;
    let i = 0;
    while (i < this.items.length && time > this.items[i].time) i++;
    this.items.splice(i, 0, { time, handle, owner });
    return handle;
  }

  delete(handle: number): void {
    this.items = this.items.filter((a) => a.handle !== handle);
  }

  /** Pops every action due at the earliest queued time, in queue order, and runs it. */
  runNearest(run: (owner: T) => void): void {
    if (this.items.length === 0) return;
    const t0 = this.items[0].time;
    while (this.items.length > 0 && this.items[0].time <= t0) {
      const a = this.items.shift()!;
      run(a.owner);
    }
  }

  clear(): void {
    this.items = [];
  }
}
