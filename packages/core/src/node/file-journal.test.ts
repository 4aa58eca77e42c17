import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventLogSuite } from '../testing.js';
import { FileJournal, readJournal } from './file-journal.js';

const dir = mkdtempSync(join(tmpdir(), 'gridtier-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let current = '';

eventLogSuite({
  name: 'JSON-lines file journal',
  open: async () => {
    current = join(dir, `j${++n}.jsonl`);
    return FileJournal.open(current);
  },
  reopen: async () => FileJournal.open(current),
});

describe('FileJournal', () => {
  it('drops a last line cut short by a crash and goes on after the last whole event', async () => {
    const path = join(dir, 'torn.jsonl');
    const log = await FileJournal.open(path);
    for (let seq = 1; seq <= 3; seq++) log.append({ seq, t: 0, type: 'x', actor: 'a', payload: seq });
    await log.close();
    appendFileSync(path, '{"seq":4,"time":"1970-01-01T00:00:00.000Z","ty');
    const again = await FileJournal.open(path);
    expect(again.lastSeq).toBe(3);
    again.append({ seq: 4, t: 0, type: 'x', actor: 'a', payload: 4 });
    await again.close();
    const seqs: number[] = [];
    for await (const e of readJournal(path)) seqs.push(e.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('refuses a journal with a bad line in the middle, naming the file and line', async () => {
    const path = join(dir, 'bad.jsonl');
    appendFileSync(
      path,
      '{"seq":1,"time":"1970-01-01T00:00:00.000Z","type":"x","actor":"a","payload":1}\nnot json\n',
    );
    await expect(FileJournal.open(path)).rejects.toThrow(/bad\.jsonl:2/);
  });

  it('commits concurrent flushes together and loses none of them', async () => {
    const log = await FileJournal.open(join(dir, 'group.jsonl'));
    const flushes: Promise<void>[] = [];
    for (let seq = 1; seq <= 200; seq++) {
      log.append({ seq, t: 0, type: 'x', actor: 'a', payload: seq });
      if (seq % 10 === 0) flushes.push(log.flush());
    }
    await Promise.all(flushes);
    const seqs: number[] = [];
    for await (const e of log.read()) seqs.push(e.seq);
    expect(seqs).toHaveLength(200);
    await log.close();
  });
});
