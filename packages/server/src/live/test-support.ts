import type { TimeSource } from '@gridtier/core/time';

/** Real time the test moves by hand: sleeping yields to the event loop but lets no time pass. */
export class FakeTime implements TimeSource {
  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  sleep(_ms: number): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
