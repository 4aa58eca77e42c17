import { GridTierError, type GridTierErrorOptions } from '@gridtier/core/errors';

/** The broker could not be reached or refused the gateway; the message names the URL. */
export class BrokerUnreachableError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('BROKER_UNREACHABLE', message, options);
  }
}
