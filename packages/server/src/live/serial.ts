/**
 * Runs tasks one at a time in arrival order. The engine is single-threaded by design, but a
 * step awaits (a market clearing in a worker), and an order arriving meanwhile must wait for the
 * step to finish rather than slip into the middle of it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** tasks waiting or running */
  get depth(): number {
    return this.queued;
  }

  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.queued++;
    const r = this.tail.then(task);
    this.tail = r.then(
      () => this.queued--,
      () => this.queued--,
    );
    return r;
  }
}
