import { openPglite } from './pglite-db.js';
import { openPostgres } from './postgres-db.js';
import type { Repository } from './repository.js';
import { SqlRepository } from './sql-repository.js';

/** Where the server keeps its data: an embedded database (a directory, or memory) or a PostgreSQL URL. */
export interface StoreLocation {
  /** the embedded database's directory; memory when absent and no URL is given */
  data?: string;
  /** postgres://… */
  database?: string;
  /** the schema on a PostgreSQL server (default `gridtier`) */
  schema?: string;
}

/** Opens the repository where the location says, with its schema brought up to date. */
export async function openRepository(at: StoreLocation): Promise<Repository> {
  const db =
    at.database !== undefined ? await openPostgres(at.database, at.schema) : await openPglite(at.data);
  try {
    return await SqlRepository.open(db);
  } catch (e) {
    await db.close();
    throw e;
  }
}
