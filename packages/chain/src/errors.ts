import { GridTierError, type GridTierErrorOptions } from '@gridtier/core';

/** The chain could not be reached, started, or did not answer as a settlement chain should. */
export class ChainError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('CHAIN', message, options);
  }
}
