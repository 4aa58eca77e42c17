import { InvalidValueError } from '../errors/index.js';
import { MS_PER_DAY } from '../time/index.js';

/** One interval's price at the substation as its exchange cleared it. */
export interface SubstationPrice {
  intervalStartMs: number;
  intervalEndMs: number;
  usdPerKwh: number;
  /** which transformer limit bound in the exchange, if any */
  binding: 'import' | 'export' | null;
}

/**
 * The substation's clearing prices by interval, as a feeder's exchange market learns them at its
 * gates: what the feeder's nodal LEM takes as the price at its source bus. It is filled by the
 * exchange's clearings alone, so a replay of the feeder's log, which clears the exchange again
 * from the substation's record, fills it the same. Prices older than two days before the newest
 * are let go (no market of the feeder clears that far back).
 */
export class SubstationPrices {
  private readonly byStart = new Map<number, SubstationPrice>();

  record(p: SubstationPrice): void {
    if (!Number.isFinite(p.usdPerKwh))
      throw new InvalidValueError(`substation price of ${p.intervalStartMs}: must be a finite price`, {
        details: { field: 'usdPerKwh' },
      });
    if (!(p.intervalEndMs > p.intervalStartMs))
      throw new InvalidValueError(
        `substation price of ${p.intervalStartMs}: the interval must end after it starts`,
        {
          details: { field: 'intervalEndMs' },
        },
      );
    this.byStart.set(p.intervalStartMs, p);
    // Map keeps insertion order and the exchange clears its intervals in time order
    for (const [start] of this.byStart) {
      if (start >= p.intervalStartMs - 2 * MS_PER_DAY) break;
      this.byStart.delete(start);
    }
  }

  /**
   * The substation's price for the interval [startMs, endMs): that of the exchange interval
   * starting where it starts and covering it whole, or undefined when the exchange has not
   * cleared one (no session then, or not yet).
   */
  at(startMs: number, endMs: number): SubstationPrice | undefined {
    const p = this.byStart.get(startMs);
    return p !== undefined && p.intervalEndMs >= endMs ? p : undefined;
  }

  get size(): number {
    return this.byStart.size;
  }
}
