/**
 * A token bucket per key: `ratePerS` messages a second on average, bursts up to `burst`. The
 * clock is passed in, so the rule is the same under wall and simulated time.
 */
export class TokenBuckets {
  private readonly tokens = new Map<string, number>();
  private readonly stampMs = new Map<string, number>();

  constructor(
    readonly ratePerS: number,
    readonly burst: number,
  ) {}

  /** Takes one token; returns 0 when there was one, else the ms until one is due. */
  take(key: string, nowMs: number): number {
    const last = this.stampMs.get(key) ?? nowMs;
    const have = Math.min(
      this.burst,
      (this.tokens.get(key) ?? this.burst) + ((nowMs - last) * this.ratePerS) / 1000,
    );
    this.stampMs.set(key, nowMs);
    if (have >= 1) {
      this.tokens.set(key, have - 1);
      return 0;
    }
    this.tokens.set(key, have);
    return ((1 - have) * 1000) / this.ratePerS;
  }

  /**
   * Takes one token now or on credit: returns 0 when there was one, else the ms until this
   * message's token is due, counting the messages already waiting before it (a queue).
   */
  reserve(key: string, nowMs: number): number {
    const last = this.stampMs.get(key) ?? nowMs;
    const have = Math.min(
      this.burst,
      (this.tokens.get(key) ?? this.burst) + ((nowMs - last) * this.ratePerS) / 1000,
    );
    this.stampMs.set(key, nowMs);
    this.tokens.set(key, have - 1);
    return have >= 1 ? 0 : ((1 - have) * 1000) / this.ratePerS;
  }

  forget(key: string): void {
    this.tokens.delete(key);
    this.stampMs.delete(key);
  }
}
