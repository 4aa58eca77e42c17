import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './event.js';
import type { EventLog } from './event-log.js';

/** How a suite run gets a log: a fresh one, and (for durable logs) the same one reopened. */
export interface EventLogFactory {
  name: string;
  open(): Promise<EventLog>;
  /** reopens what `open` created last; absent for a log that keeps nothing after close */
  reopen?(): Promise<EventLog>;
}

const ev = (seq: number, extra: Partial<EngineEvent> = {}): EngineEvent => ({
  seq,
  t: Date.UTC(2026, 6, 15) + seq * 1000,
  type: 'test.event',
  actor: 'suite',
  payload: { n: seq, x: 0.1 + seq / 3, list: [1, -2.5e-9, 3e20] },
  ...extra,
});

async function all(log: EventLog, from?: number): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of log.read(from)) out.push(e);
  return out;
}

/** The behaviour every EventLog must show. */
export function eventLogSuite(factory: EventLogFactory): void {
  describe(`EventLog: ${factory.name}`, () => {
    it('keeps events in order and reads from any sequence number', async () => {
      const log = await factory.open();
      expect(log.lastSeq).toBe(0);
      for (let s = 1; s <= 5; s++) log.append(ev(s, s === 3 ? { to: ['hh1', 'vpp1'] } : {}));
      await log.flush();
      expect(log.lastSeq).toBe(5);
      expect((await all(log)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await all(log, 4)).map((e) => e.seq)).toEqual([4, 5]);
      expect((await all(log))[2]).toEqual(ev(3, { to: ['hh1', 'vpp1'] }));
      await log.close();
    });

    it('refuses an event out of sequence and keeps what it had', async () => {
      const log = await factory.open();
      log.append(ev(1));
      expect(() => log.append(ev(3))).toThrow(/does not follow 1/);
      expect(() => log.append(ev(1))).toThrow(/does not follow 1/);
      expect(log.lastSeq).toBe(1);
      await log.close();
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('gives back every flushed event after it is closed and reopened, and goes on from there', async () => {
        const log = await factory.open();
        for (let s = 1; s <= 100; s++) log.append(ev(s));
        await log.flush();
        await log.close();
        const again = await reopen();
        expect(again.lastSeq).toBe(100);
        expect(await all(again)).toEqual(Array.from({ length: 100 }, (_, i) => ev(i + 1)));
        again.append(ev(101));
        await again.flush();
        expect((await all(again, 100)).map((e) => e.seq)).toEqual([100, 101]);
        await again.close();
      });
    }
  });
}
