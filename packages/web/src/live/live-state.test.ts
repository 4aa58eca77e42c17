import { describe, expect, it } from 'vitest';
import {
  applyFeed,
  bookKey,
  emptyState,
  GRID_STATES,
  keepDlmps,
  latestBySeq,
  mapFrames,
  newest,
} from './live-state.js';

describe('the live state', () => {
  it('keeps the latest of a snapshot and what the feed brought while it was read', () => {
    const a = { seq: 5, market: 'lem-da' };
    const b = { seq: 9, market: 'lem-rt' };
    expect(newest(a, b)).toBe(b);
    expect(newest(b, a)).toBe(b);
    expect(newest(null, a, undefined)).toBe(a);
    expect(newest()).toBeNull();
  });

  it('keeps each trade once, in order, when the feed and a snapshot both tell it', () => {
    const t = (seq: number) => ({ seq, at: '', market: 'layer1', session: 's', usdPerKwh: 0.1, kwh: 1 });
    expect(latestBySeq([t(3), t(1), t(2), t(3)], 10).map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(latestBySeq([t(3), t(1), t(2)], 2).map((x) => x.seq)).toEqual([2, 3]);
  });

  it('takes the DLMPs of a clearing from the feed', () => {
    const dlmp = { nodes: ['650.1'], intervals: [{ total: [40], energy: [40], loss: [0], congestion: [0] }] };
    const s = applyFeed(emptyState(), {
      seq: 7,
      time: '2026-01-01T11:00:00.000Z',
      type: 'market.cleared',
      payload: { market: 'lem-da', session: 'lem-da@2026-01-02', result: { status: 'optimal', dlmp } },
    });
    expect(s.dlmps).toMatchObject({ seq: 7, market: 'lem-da', nodes: ['650.1'] });
    expect(s.clearings.map((c) => c.summary)).toEqual(['optimal']);
  });

  it('lays the map over time: a frame per power flow and clearing, each with the latest of both', () => {
    const grid = (seq: number, startMs: number) => ({ seq, startMs, busVoltagesPu: [[1]] });
    const dlmp = (seq: number, session: string) => ({
      seq,
      market: 'lem-rt',
      session,
      nodes: ['n1'],
      intervals: [{ total: [seq], energy: [seq], loss: [0], congestion: [0] }],
    });
    const t0 = Date.parse('2026-07-01T10:00Z');
    const frames = mapFrames(
      [grid(5, t0), grid(9, t0 + 300_000)],
      [dlmp(3, 'lem-da@2026-07-01'), dlmp(7, 'lem-rt@2026-07-01T10:05Z')],
    );
    expect(frames.map((f) => [f.seq, f.grid?.seq ?? null, f.dlmps?.seq ?? null])).toEqual([
      [3, null, 3],
      [5, 5, 3],
      [7, 5, 7],
      [9, 9, 7],
    ]);
    expect(frames.map((f) => f.timeMs - t0)).toEqual([-10 * 3_600_000, 0, 300_000, 300_000]);
  });

  it('keeps the newest clearings that fit its budget, at least the last one', () => {
    const big = (seq: number) => ({
      seq,
      market: 'lem-da',
      session: 'lem-da@2026-07-01',
      nodes: Array.from({ length: 50_000 }, (_, i) => `n${i}`),
      intervals: Array.from({ length: 24 }, () => ({ total: [], energy: [], loss: [], congestion: [] })),
    });
    // 4 parts × 50,000 nodes × 24 intervals = 4.8 M figures a clearing: over the budget alone
    expect(keepDlmps([big(1), big(2), big(3)]).map((d) => d.seq)).toEqual([3]);
  });

  it("keeps each VPP's fleet intervals from the feed, a day of them", () => {
    let s = emptyState();
    for (let k = 0; k < 600; k++)
      s = applyFeed(s, {
        seq: k + 1,
        type: 'world.fleet',
        payload: { vpp: k % 2 ? 'v1' : 'v2', startMs: k, fullKw: 10, enabledKw: 8, goalKw: 8, devices: 5 },
      });
    expect(Object.keys(s.fleets).sort()).toEqual(['v1', 'v2']);
    expect(s.fleets.v1).toHaveLength(GRID_STATES);
    expect(s.fleets.v1.at(-1)).toMatchObject({ seq: 600, enabledKw: 8, goalKw: 8 });
  });

  it("keeps a book's depth from the feed before the book is shown, so an older snapshot loses to it", () => {
    const depth = (seq: number, price: number) => ({
      seq,
      type: 'book.depth',
      market: 'intraday',
      session: 'intraday@x',
      bids: [{ price, quantity: 1 }],
      asks: [],
    });
    let s = applyFeed(emptyState(), depth(8, 0.0123));
    expect(s.book).toBeNull();
    const snapshot = { market: 'intraday', session: 'intraday@x', bids: [], asks: [], seq: 7 };
    expect(newest(snapshot, s.depths[bookKey(snapshot)])?.bids).toEqual([{ price: 0.0123, quantity: 1 }]);
    s = { ...s, book: snapshot };
    s = applyFeed(s, depth(9, 0.02));
    expect(s.book?.bids).toEqual([{ price: 0.02, quantity: 1 }]);
  });
});
