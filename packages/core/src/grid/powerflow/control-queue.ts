/** A pending control action: who acts, when (seconds on the solution clock), and its handle. */
interface QueuedAction<T> {
  time: number;
  handle: number;
  owner: T;
}

/**
 * OpenDSS's control queue: actions sorted by time, the newest first among equal times. In
 * static mode each control iteration runs every action due at the earliest time, and time
 * itself does not advance; in time-driven mode it runs every action due by the clock.
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

  /**
   * Runs every action due at or before `now`, earliest first (one pushed while running is run
   * too if it is due); true if any ran.
   */
  runDue(now: number, run: (owner: T) => void): boolean {
    let ran = false;
    for (;;) {
      const i = this.items.findIndex((a) => a.time <= now);
      if (i < 0) return ran;
      const [a] = this.items.splice(i, 1);
      run(a.owner);
      ran = true;
    }
  }

  /** The queued actions, for carrying them over to a rebuilt network's controls. */
  entries(): readonly { time: number; owner: T }[] {
    return this.items.map(({ time, owner }) => ({ time, owner }));
  }

  /**
   * Hands every queued action to the owner `to` names for it (the same control of a later
   * solution), keeping its time and handle; an action whose owner has no successor is dropped.
   */
  rebind(to: (owner: T) => T | undefined): void {
    const kept: QueuedAction<T>[] = [];
    for (const a of this.items) {
      const owner = to(a.owner);
      if (owner !== undefined) kept.push({ ...a, owner });
    }
    this.items = kept;
  }

  clear(): void {
    this.items = [];
  }
}
