import { resolve } from 'node:path';
import type { StoreLocation } from '@gridtier/server';
import { UsageError } from '../framework/errors.js';
import { DEFAULT_DATA_DIR } from './store-options.js';

/** The store the options name: a PostgreSQL URL, or the embedded database's folder. */
export function storeLocation(o: { data?: string; database?: string; schema: string }): StoreLocation {
  if (o.data !== undefined && o.database !== undefined)
    throw new UsageError('--data and --database: give one (the embedded folder or a PostgreSQL URL)');
  if (o.database !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(o.database))
      throw new UsageError(`--database ${o.database}: expected a postgres://user@host:port/database URL`);
    return { database: o.database, schema: o.schema };
  }
  // absolute, so a message about the folder names it wherever the command ran
  return { data: resolve(o.data ?? DEFAULT_DATA_DIR) };
}
