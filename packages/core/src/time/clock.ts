import { InvalidValueError } from '../errors/index.js';

export type ClockMode = 'simulated' | 'wall' | 'accelerated';

/**
 * The engine's time. A simulated clock jumps from one scheduled instant to the next as fast as
 * the work allows and is deterministic; a wall clock follows real time; an accelerated clock
 * runs real time ×N from a chosen start (a day in 24 minutes at ×60).
 */
export interface Clock {
  readonly mode: ClockMode;
  /** simulated ms per real ms: Infinity for a simulated clock */
  readonly speed: number;
  /** now, ms since the epoch */
  now(): number;
  /** returns once the clock has reached `t` (at once, without a promise, for a simulated clock) */
  advanceTo(t: number): void | Promise<void>;
}

/** Where real time comes from; tests pass a fake one. */
export interface TimeSource {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: TimeSource = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export class SimulatedClock implements Clock {
  readonly mode = 'simulated';
  readonly speed = Number.POSITIVE_INFINITY;
  private t: number;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  advanceTo(t: number): void {
    // time never runs backwards: a task due in the past runs now
    if (t > this.t) this.t = t;
  }
}

/** Real time ×`speed` from `startMs` (speed 1 from the current time is the wall clock). */
export class ScaledClock implements Clock {
  readonly mode: ClockMode;
  private readonly realStart: number;

  constructor(
    readonly speed: number,
    private readonly startMs: number,
    private readonly source: TimeSource = realTime,
  ) {
    if (!(Number.isFinite(speed) && speed > 0))
      throw new InvalidValueError(`clock speed ${speed} must be a positive number`, {
        details: { field: 'clock' },
      });
    this.mode = speed === 1 ? 'wall' : 'accelerated';
    this.realStart = source.now();
  }

  now(): number {
    return this.startMs + (this.source.now() - this.realStart) * this.speed;
  }

  async advanceTo(t: number): Promise<void> {
    // a timer may wake a little early; wait until the clock really shows t
    for (let left = t - this.now(); left > 0; left = t - this.now())
      await this.source.sleep(left / this.speed);
  }
}

/**
 * A clock from its name: `simulated`, `wall` (real time from now) or `xN` (real time ×N from
 * `startMs`, e.g. `x60`). A simulated clock starts at `startMs`.
 */
export function clockFrom(spec: string, startMs: number, source: TimeSource = realTime): Clock {
  if (spec === 'simulated') return new SimulatedClock(startMs);
  if (spec === 'wall') return new ScaledClock(1, source.now(), source);
  const m = /^x(\d+(?:\.\d+)?)$/.exec(spec);
  if (m && Number(m[1]) > 0) return new ScaledClock(Number(m[1]), startMs, source);
  throw new InvalidValueError(`clock "${spec}": expected simulated, wall or xN (e.g. x60)`, {
    details: { field: 'clock' },
  });
}
