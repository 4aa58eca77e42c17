import pg from 'pg';
import { afterAll } from 'vitest';
import { checkSchemaName, type Db } from './db.js';
import { openPglite } from './pglite-db.js';
import type { Repository } from './repository.js';
import { SqlRepository } from './sql-repository.js';

/** The PostgreSQL server the tests use: the machine's own unless GRIDTIER_TEST_DATABASE says otherwise. */
export const TEST_DATABASE = process.env.GRIDTIER_TEST_DATABASE ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test PostgreSQL answers; on CI it must. */
export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: TEST_DATABASE, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch (e) {
    if (process.env.CI) throw new Error(`PostgreSQL at ${TEST_DATABASE} must be running on CI`, { cause: e });
    console.warn(`PostgreSQL at ${TEST_DATABASE} is not reachable: its tests are skipped`);
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

let counter = 0;
const made: string[] = [];

/**
 * A schema of its own for one test (parallel runs and test files never see each other's
 * tables); every schema made is dropped after the file's tests.
 */
export function freshSchema(): string {
  const name = `gt_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  made.push(name);
  return name;
}

afterAll(async () => {
  if (made.length === 0) return;
  const c = new pg.Client({ connectionString: TEST_DATABASE });
  try {
    await c.connect();
    for (const s of made.splice(0)) await c.query(`drop schema if exists ${s} cascade`);
  } catch {
    // nothing to drop where the server was never reached
  } finally {
    await c.end().catch(() => {});
  }
});

/**
 * One embedded database shared by a test file, each repository opened on it in a schema of
 * its own: starting PGlite (compiling PostgreSQL's WebAssembly) takes seconds, a schema
 * milliseconds. Tests in a file run one after another, so the single session's search path
 * is the opened repository's.
 */
export function sharedPglite(): { open(schema?: string): Promise<Repository>; close(): Promise<void> } {
  let db: Promise<Db> | undefined;
  let n = 0;
  return {
    async open(schema = `s${++n}`) {
      db ??= openPglite(undefined);
      const shared = await db;
      await shared.exec(
        `create schema if not exists ${checkSchemaName(schema)}; set search_path to ${schema}`,
      );
      return SqlRepository.open({ ...shared, close: async () => {} });
    },
    async close() {
      if (db) await (await db).close();
    },
  };
}
