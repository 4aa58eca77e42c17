import type { DssCircuitState } from '../../grid/dss/index.js';
import type { LpSolver } from '../../opt/index.js';
import type { ParsedOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import type { LemResult } from './types.js';

/**
 * Who clears a local energy market on one feeder: in the calling thread, or elsewhere (a worker
 * thread that holds its own copy of the feeder) so that a live server keeps answering while a
 * market clears. Every implementation gives the same result for the same orders.
 */
export interface LemClearer {
  readonly name: string;
  clear(parsed: ParsedOrders): Promise<LemResult>;
  close(): Promise<void>;
}

/** Clears in the calling thread, on a feeder and solver the caller owns. */
export class InProcessLemClearer implements LemClearer {
  readonly name = 'in process';

  constructor(
    private readonly feeder: DssCircuitState,
    private readonly solver: LpSolver,
  ) {}

  clear(parsed: ParsedOrders): Promise<LemResult> {
    return clearMarket(this.feeder, parsed, this.solver);
  }

  async close(): Promise<void> {}
}
