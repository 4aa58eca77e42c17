import { describe, expect, it } from 'vitest';
import { payAsBid, uniformPrice } from './index.js';
import { order } from './test-support.js';

describe('grid-aware call markets', () => {
  const orders = [
    { ...order('b1', 'buy', 20, 5), bus: 'n2' },
    { ...order('b2', 'buy', 12, 5), bus: 'n9' },
    { ...order('s1', 'sell', 8, 10), bus: 'n1' },
  ];

  it('charges the network tariff and grosses the seller’s delivery up for losses', () => {
    const r = payAsBid(orders, {
      pricing: 'ask',
      grid: { tariff: (_from, to) => ({ charge: to === 'n2' ? 1 : 2, lossFactor: 0.2 }) },
    });
    const b1 = r.trades.find((t) => t.buyOrderId === 'b1')!;
    expect(b1.networkCharge).toBe(1);
    expect(b1.sellerQuantity).toBeCloseTo(5 / 0.8, 12);
    // b2 would pay 8 / 0.8 + 2 = 12: exactly its bid, so it still trades
    expect(r.trades.map((t) => t.buyOrderId)).toEqual(['b1', 'b2']);
  });

  it('refuses a trade whose charge and losses exceed the bid, and one the feeder cannot take', () => {
    const r = uniformPrice(orders, {
      grid: {
        tariff: () => ({ charge: 3, lossFactor: 0 }),
        refuse: (t) => (t.buyOrderId === 'b1' ? 'line n1–n2 at its limit' : undefined),
      },
    });
    expect(r.trades).toEqual([]);
    expect(r.refused.map((x) => x.reason)).toEqual([
      'line n1–n2 at its limit',
      expect.stringMatching(/above the bid 12/),
    ]);
    expect(r.volume).toBe(0);
  });
});
