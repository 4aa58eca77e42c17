import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../errors.js';
import { lockDataDir } from './data-lock.js';
import type { Db, Queryable } from './db.js';

/**
 * Embedded PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly, in this process): the zero
 * set-up default. Its data lives in a directory, or in memory when none is given. One process
 * at a time may open a directory.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const release = dataDir === undefined ? () => {} : lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir === undefined ? undefined : dataDir, { relaxedDurability: false });
  } catch (cause) {
    release();
    throw new StoreError(`cannot open the embedded database in ${dataDir ?? 'memory'}: ${String(cause)}`, {
      cause,
    });
  }
  const q =
    (target: { query: PGlite['query'] }) =>
    async <R>(sql: string, params: readonly unknown[] = []): Promise<R[]> =>
      (await target.query<R>(sql, params as unknown[])).rows;
  return {
    kind: 'pglite',
    where: dataDir ?? 'memory',
    query: q(pg),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => pg.transaction((tx) => fn({ query: q(tx) } as Queryable)),
    listen: async (channel, fn) => {
      await pg.listen(channel, fn);
    },
    notify: async (tx, channel, payload) => {
      await tx.query('select pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
