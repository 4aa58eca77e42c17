import { GridTierError, type GridTierErrorOptions } from '@gridtier/core/errors';

/** The bus refused or failed: an unreachable server, a stream that cannot be made, a bad name. */
export class BusError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('BUS', message, options);
  }
}
