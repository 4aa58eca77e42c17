import { describe, expect, it } from 'vitest';
import { applyFeed, emptyState, latestBySeq, newest } from './live-state.js';

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
});
