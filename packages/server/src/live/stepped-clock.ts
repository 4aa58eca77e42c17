import type { Clock, ClockMode } from '@gridtier/core/time';

/**
 * The engine's clock in a live server. It stands still while the server runs one step of the
 * engine and moves only between steps, to where real (or accelerated) time has got. So every
 * event of a step, and every order taken between two steps, carries the instant of the step
 * before it — which is what lets a replay put each order back between the same two steps and
 * rebuild the engine exactly.
 */
export class SteppedClock implements Clock {
  readonly mode: ClockMode;
  readonly speed: number;
  private t: number;

  constructor(startMs: number, mode: ClockMode, speed: number) {
    this.t = startMs;
    this.mode = mode;
    this.speed = speed;
  }

  now(): number {
    return this.t;
  }

  /** the engine never moves this clock: the server does, between steps */
  advanceTo(_t: number): void {}

  /** moves to `t` (never back) */
  set(t: number): void {
    if (t > this.t) this.t = t;
  }
}
