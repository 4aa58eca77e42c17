import { describe, expect, it } from 'vitest';
import { ReputationBook } from './index.js';

describe('reputation from account history', () => {
  it('starts newcomers at the prior, rewards delivery and punishes shortfalls, over-delivery not counting', () => {
    const book = new ReputationBook({ alpha: 8, beta: 2 });
    expect(book.history('new').reputation).toBeCloseTo(0.8, 12);
    for (let i = 0; i < 20; i++) {
      book.record({ account: 'good', time: i, contractedKwh: 5, deliveredKwh: 5 });
      book.record({ account: 'bad', time: i, contractedKwh: 5, deliveredKwh: 2 });
      book.record({ account: 'lumpy', time: i, contractedKwh: 5, deliveredKwh: i % 2 ? 10 : 0 });
    }
    const [good, bad, lumpy] = ['good', 'bad', 'lumpy'].map((a) => book.history(a));
    expect(good.deliveryRate).toBe(1);
    expect(bad.deliveryRate).toBeCloseTo(0.4, 12);
    expect(lumpy.deliveryRate).toBeCloseTo(0.5, 12);
    expect(good.reputation).toBeGreaterThan(0.8);
    expect(bad.reputation).toBeLessThan(0.5);
    expect(good.transactions).toBe(20);
    expect(() => book.record({ account: 'x', time: 0, contractedKwh: -1, deliveredKwh: 0 })).toThrow(
      /negative/,
    );
  });
});
