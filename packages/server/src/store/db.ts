import { StoreError } from '../errors.js';

/** What both PostgreSQL back ends offer: parameterized queries, scripts and transactions. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** `pglite` (embedded, in-process) or `postgres` (a server over the network) */
  readonly kind: 'pglite' | 'postgres';
  /** where it is, for messages: a directory, `memory` or the URL without its password */
  readonly where: string;
  /** runs a script of several statements */
  exec(sql: string): Promise<void>;
  /** runs `fn` in one transaction: all of it commits or none */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** calls `fn` on every NOTIFY of `channel` (from this process or another) */
  listen(channel: string, fn: (payload: string) => void): Promise<void>;
  notify(tx: Queryable, channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/** The advisory lock servers take to create and migrate a schema one at a time. */
export const MIGRATION_LOCK = 7317001;

/** A schema name is an identifier the server writes into SQL: letters, digits, underscores. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new StoreError(`schema "${schema}": use lower-case letters, digits and _ (at most 63)`);
  return schema;
}
