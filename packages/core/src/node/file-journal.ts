import { createReadStream, existsSync } from 'node:fs';
import { type FileHandle, open, truncate } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { checkNext, type EngineEvent, type EventLog, eventToLine, lineToEvent } from '../engine/index.js';

/**
 * The engine's log as a JSON-lines file, one event a line. Appends are buffered; `flush`
 * writes everything appended so far with one write and one fsync (a group commit: callers that
 * flush while a commit is in flight share the next one), so an order can be acknowledged once
 * its event is on disk. Opening an existing journal reads it back and goes on after its last
 * event; a last line cut short by a crash was never flushed whole, so it is dropped.
 */
export class FileJournal implements EventLog {
  private buffer: string[] = [];
  private committing: Promise<void> | undefined;
  private last: number;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    lastSeq: number,
  ) {
    this.last = lastSeq;
  }

  static async open(path: string): Promise<FileJournal> {
    let lastSeq = 0;
    if (existsSync(path)) {
      const { events, validBytes, fileBytes } = await scan(path);
      if (validBytes < fileBytes) await truncate(path, validBytes);
      lastSeq = events;
    }
    return new FileJournal(path, await open(path, 'a'), lastSeq);
  }

  get lastSeq(): number {
    return this.last;
  }

  append(event: EngineEvent): void {
    checkNext(this.last, event);
    this.buffer.push(`${eventToLine(event)}\n`);
    this.last = event.seq;
  }

  async flush(): Promise<void> {
    // wait for a commit in flight, then commit what has been appended since, if anything
    while (this.committing) await this.committing;
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.committing = (async () => {
      await this.handle.write(text);
      await this.handle.datasync();
    })();
    try {
      await this.committing;
    } finally {
      this.committing = undefined;
    }
  }

  async *read(fromSeq = 1): AsyncIterable<EngineEvent> {
    await this.flush();
    for await (const e of readJournal(this.path)) if (e.seq >= fromSeq) yield e;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}

/** Every event of a journal file, in order; a bad line is refused with the file and line. */
export async function* readJournal(path: string): AsyncIterable<EngineEvent> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    yield lineToEvent(line, path, n);
  }
}

/** The journal's last whole event and how many bytes of the file hold whole lines. */
async function scan(path: string): Promise<{ events: number; validBytes: number; fileBytes: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const text = (await handle.readFile()).toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    let last = 0;
    let lineNo = 0;
    for (const line of text.slice(0, end).split('\n')) {
      lineNo++;
      if (line.trim() === '') continue;
      const e = lineToEvent(line, path, lineNo);
      checkNext(last, e);
      last = e.seq;
    }
    return { events: last, validBytes: Buffer.byteLength(text.slice(0, end)), fileBytes: size };
  } finally {
    await handle.close();
  }
}
