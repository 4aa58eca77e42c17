import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../random/index.js';
import { acceptCost, acceptPrice, expectedCosts, type Job, predict, runNow } from './index.js';

/** The least cost of running l of the hours, by trying every subset. */
function bruteForce(prices: number[], l: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 1 << prices.length; mask++) {
    let bits = 0;
    let c = 0;
    for (let i = 0; i < prices.length; i++)
      if (mask & (1 << i)) {
        bits++;
        c += prices[i];
      }
    if (bits === l) best = Math.min(best, c);
  }
  return best;
}

describe('household appliance scheduling', () => {
  it('the hurdle rule’s value function equals brute-force expected-cost minimization', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (prices, k) => {
          const l = k % (prices.length + 1);
          expect(expectedCosts(prices, l)[l]).toBe(bruteForce(prices, l));
        },
      ),
    );
  });

  it('with a perfect forecast, prediction runs an interruptible job in its cheapest hours', () => {
    const prices = [30, 10, 40, 5, 20, 25];
    const job: Job = { windowHours: 6, durationHours: 3, interruptible: true, kwh: 1 };
    const r = predict(job, prices, (h) => prices.slice(h));
    expect(r.hours).toEqual([1, 3, 4]);
    expect(r.cost).toBe(35);
    expect(predict({ ...job, interruptible: false }, prices, (h) => prices.slice(h)).hours).toEqual([
      3, 4, 5,
    ]);
  });

  it('prediction never costs more than running at once, in expectation over simulated paths', () => {
    const r = new Prng(4);
    let normal = 0;
    let predicted = 0;
    for (let run = 0; run < 400; run++) {
      const base = Array.from({ length: 12 }, (_, h) => 20 + 10 * Math.sin(h / 2 + r.uniform(0, 6)));
      const prices = base.map((p) => Math.max(0, p + 4 * r.normal()));
      // the forecast at hour h: exact for the hour itself, noisier further out
      const forecast = (h: number) => prices.slice(h).map((p, k) => p + k * 0.8 * r.normal());
      const job: Job = { windowHours: 12, durationHours: 4, interruptible: run % 2 === 0, kwh: 2 };
      normal += runNow(job, prices).cost;
      predicted += predict(job, prices, forecast).cost;
    }
    expect(predicted).toBeLessThan(normal);
  });

  it('cost and price acceptance run within the window and meet the duration', () => {
    const prices = [50, 40, 12, 30, 8, 60];
    const job: Job = { windowHours: 6, durationHours: 2, interruptible: true, kwh: 1 };
    expect(acceptPrice(job, prices, 15).hours).toEqual([2, 4]);
    expect(acceptPrice(job, prices, 1).hours).toEqual([4, 5]);
    const unint = { ...job, interruptible: false };
    expect(acceptCost(unint, prices, (h) => prices.slice(h), 45).hours).toEqual([2, 3]);
    expect(acceptCost(unint, prices, (h) => prices.slice(h), 1).hours).toEqual([4, 5]);
    expect(() => runNow({ ...job, durationHours: 7 }, prices)).toThrow(/within the window/);
  });
});
