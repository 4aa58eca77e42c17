import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLogSuite } from '@gridtier/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from './open.js';
import { repositorySuite } from './repository-suite.js';
import { SqlEventLog } from './sql-event-log.js';
import { freshSchema, postgresReachable, sharedPglite, TEST_DATABASE } from './test-support.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'gridtier-store-'));
  dirs.push(d);
  return d;
};

const pglite = sharedPglite();
afterAll(() => pglite.close());

repositorySuite({ name: 'embedded PostgreSQL (PGlite)', open: () => pglite.open() });

let lastSchema = '';
eventLogSuite({
  name: 'SqlEventLog on PGlite',
  open: async () => {
    lastSchema = `log${Date.now()}`;
    return SqlEventLog.open(await pglite.open(lastSchema), { closeRepo: true });
  },
  reopen: async () => SqlEventLog.open(await pglite.open(lastSchema), { closeRepo: true }),
});

const pgUp = await postgresReachable();
describe.runIf(pgUp)('on PostgreSQL', () => {
  repositorySuite({
    name: `PostgreSQL at ${TEST_DATABASE}`,
    open: () => openRepository({ database: TEST_DATABASE, schema: freshSchema() }),
  });
  let schema = '';
  eventLogSuite({
    name: 'SqlEventLog on PostgreSQL',
    open: async () => {
      schema = freshSchema();
      return SqlEventLog.open(await openRepository({ database: TEST_DATABASE, schema }), { closeRepo: true });
    },
    reopen: async () =>
      SqlEventLog.open(await openRepository({ database: TEST_DATABASE, schema }), { closeRepo: true }),
  });

  it('migrates a schema once however many servers open it at the same time', async () => {
    const schema = freshSchema();
    const repos = await Promise.all([1, 2, 3].map(() => openRepository({ database: TEST_DATABASE, schema })));
    expect(await repos[0].lastSeq()).toBe(0);
    for (const r of repos) await r.close();
  });
});

describe('SqlEventLog group commit', () => {
  it('commits many appends in few transactions and acknowledges each only once committed', async () => {
    const repo = await pglite.open();
    const commits: number[] = [];
    const append = repo.appendEvents.bind(repo);
    repo.appendEvents = async (events) => {
      commits.push(events.length);
      await append(events);
    };
    const log = await SqlEventLog.open(repo, { closeRepo: true });
    const acks: Promise<number>[] = [];
    for (let s = 1; s <= 500; s++) {
      log.append({ seq: s, t: s, type: 't', actor: 'a', payload: s });
      acks.push(log.flush().then(() => log.durableSeq));
    }
    const durableAtAck = await Promise.all(acks);
    for (const [i, d] of durableAtAck.entries()) expect(d).toBeGreaterThanOrEqual(i + 1);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(500);
    expect(commits.length).toBeLessThan(10);
    await log.close();
  });

  it('refuses every later flush once a commit failed, so nothing unkept is acknowledged', async () => {
    const repo = await pglite.open();
    repo.appendEvents = async () => {
      throw new Error('disk full');
    };
    const log = await SqlEventLog.open(repo, { closeRepo: true });
    log.append({ seq: 1, t: 1, type: 't', actor: 'a', payload: 1 });
    await expect(log.flush()).rejects.toThrow(/events 1–1 were not committed: disk full/);
    log.append({ seq: 2, t: 2, type: 't', actor: 'a', payload: 2 });
    await expect(log.flush()).rejects.toThrow(/not committed/);
    await log.close();
  });
});

describe('the embedded database directory', () => {
  it('keeps what was committed, and is refused to a second opener while one holds it', async () => {
    const dir = await tempDir();
    const first = await openRepository({ data: dir });
    await expect(openRepository({ data: dir })).rejects.toThrow(/in use by process \d+/);
    await first.appendEvents([{ seq: 1, t: 5, type: 'kept', actor: 'test', payload: { on: 'disk' } }]);
    await first.close();
    const again = await openRepository({ data: dir });
    expect(await again.events()).toEqual([
      { seq: 1, t: 5, type: 'kept', actor: 'test', payload: { on: 'disk' } },
    ]);
    await again.close();
  });
});
