/**
 * A command that serves until it is stopped (serve, feeder-engine, substation): it ends on
 * SIGINT or SIGTERM, after --duration seconds (0 = never), or when the service itself fails.
 */
import { UsageError } from './errors.js';

export interface ServiceLifetime {
  /** Ends the wait; the first failure given is the one reported. */
  stop(failure?: Error): void;
  /** Waits until the service is stopped; returns the failure that stopped it, if any. */
  wait(): Promise<Error | undefined>;
}

export function serviceLifetime(durationS: number): ServiceLifetime {
  let failure: Error | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const stop = (e?: Error) => {
    failure ??= e;
    wake();
  };
  return {
    stop,
    async wait() {
      const onSignal = () => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timer = durationS > 0 ? setTimeout(onSignal, durationS * 1000) : undefined;
      try {
        await stopped;
      } finally {
        if (timer) clearTimeout(timer);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return failure;
    },
  };
}

/** --start: an ISO 8601 instant, in epoch milliseconds, or undefined when not given. */
export function startInstantMs(start: string | undefined): number | undefined {
  if (start === undefined) return undefined;
  const ms = Date.parse(start);
  if (!Number.isFinite(ms)) throw new UsageError(`--start ${start}: expected an ISO 8601 instant`);
  return ms;
}
