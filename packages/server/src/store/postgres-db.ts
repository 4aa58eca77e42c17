import pg from 'pg';
import { StoreError } from '../errors.js';
import { checkSchemaName, type Db, MIGRATION_LOCK, type Queryable } from './db.js';

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * A PostgreSQL server (`postgres://user@host:port/database`), the production path. `schema`
 * keeps the server's tables in a schema of their own (created when absent), so several
 * servers or test runs can share one database without seeing each other.
 */
export async function openPostgres(url: string, schema = 'gridtier'): Promise<Db> {
  checkSchemaName(schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    options: `-c search_path=${schema}`,
  });
  // an idle connection that breaks is dropped by the pool; without a listener it would crash the process
  pool.on('error', () => {});
  try {
    // servers starting together on one database take turns (create … if not exists can race)
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await c.query(`create schema if not exists ${schema}`);
      await c.query('commit');
    } finally {
      c.release();
    }
  } catch (cause) {
    await pool.end();
    throw new StoreError(`cannot reach PostgreSQL at ${redact(url)}: ${(cause as Error).message}`, { cause });
  }
  const listeners: pg.PoolClient[] = [];
  const queryOn =
    (c: pg.Pool | pg.PoolClient) =>
    async <R>(sql: string, params: readonly unknown[] = []): Promise<R[]> =>
      (await c.query(sql, params as unknown[])).rows as R[];
  return {
    kind: 'postgres',
    where: redact(url),
    query: queryOn(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        const r = await fn({ query: queryOn(c) } as Queryable);
        await c.query('commit');
        return r;
      } catch (e) {
        await c.query('rollback').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    listen: async (channel, fn) => {
      const c = await pool.connect();
      listeners.push(c);
      c.on('notification', (n) => {
        if (n.channel === channel) fn(n.payload ?? '');
      });
      await c.query(`listen ${checkSchemaName(channel)}`);
    },
    notify: async (tx, channel, payload) => {
      await tx.query('select pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      for (const c of listeners) c.release();
      await pool.end();
    },
  };
}
