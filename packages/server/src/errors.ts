import { GridTierError, type GridTierErrorOptions } from '@gridtier/core/errors';

/** The database refused or failed: connection, migration, a commit that did not happen. */
export class StoreError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('STORE', message, options);
  }
}

/** A request the server refuses: carries the HTTP status and the field at fault. */
export class ApiError extends GridTierError {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    options: GridTierErrorOptions & { field?: string } = {},
  ) {
    super('API', message, { ...options, details: { ...options.details, field: options.field } });
  }

  get field(): string | undefined {
    return this.details.field as string | undefined;
  }
}
