import { describe, expect, it } from 'vitest';
import type { TradeOrder } from '../orders/index.js';
import { Level, RestingEntry } from './level.js';

function filled(n: number) {
  const level = new Level(10);
  const entries = Array.from({ length: n }, (_, i) => {
    const order: TradeOrder = {
      id: `e${i}`,
      side: 'sell',
      type: 'limit',
      price: 10,
      quantity: 1,
      timeInForce: 'GTC',
    };
    const entry = new RestingEntry(order.id, order, 10, i + 1, undefined, Number.POSITIVE_INFINITY, i, level);
    level.push(entry);
    return entry;
  });
  return { level, entries };
}

const live = (level: Level) => {
  const ids: string[] = [];
  level.everyLive((e) => ids.push(e.id) > 0);
  return ids;
};

describe('Level', () => {
  it('keeps time order and totals through removals, fills and compaction', () => {
    const { level, entries } = filled(200);
    // remove every entry whose index is not a multiple of 5: enough dead entries to compact
    for (const e of entries) if (Number(e.id.slice(1)) % 5 !== 0) level.remove(e);
    const kept = entries.filter((_, i) => i % 5 === 0);
    expect(level.liveCount).toBe(40);
    expect(live(level)).toEqual(kept.map((e) => e.id));
    expect(level.quantity).toBe(kept.reduce((s, e) => s + e.open, 0));
    expect(level.front()).toBe(kept[0]);
    level.fillFront(kept[0], 1);
    expect(level.front()).toBe(kept[1]);
    level.reduce(kept[1], 2);
    expect(level.quantity).toBe(kept.slice(1).reduce((s, e) => s + e.open, 0));
    for (const e of kept.slice(1)) level.fillFront(level.front()!, e.open);
    expect(level.liveCount).toBe(0);
    expect(level.quantity).toBe(0);
    expect(level.front()).toBeUndefined();
  });

  it('consumes from the front many times without losing later arrivals', () => {
    const { level, entries } = filled(100);
    for (let i = 0; i < 90; i++) level.fillFront(level.front()!, entries[i].open);
    expect(live(level)).toEqual(entries.slice(90).map((e) => e.id));
    const later = new RestingEntry(
      'late',
      entries[0].order,
      10,
      5,
      undefined,
      Number.POSITIVE_INFINITY,
      999,
      level,
    );
    level.push(later);
    expect(live(level).at(-1)).toBe('late');
    expect(level.liveCount).toBe(11);
  });
});
