import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitOrder } from '../orders/index.js';
import { uniformPrice } from './index.js';
import { type TespBid, tespClear } from './tesp-oracle.js';
import { order, orderSets } from './test-support.js';

/**
 * GridTier's uniform-price market against PNNL TESP's double auction (see tesp-oracle.ts).
 * Both find the efficient quantity with the same walk, so the quantities always agree. When one
 * price supports the efficient set of trades, both markets choose it. When a range of prices
 * supports the set, GridTier (k = 0.5) takes the middle of the range of market-clearing prices,
 * [max(highest accepted ask, first rejected bid), min(lowest accepted bid, first rejected ask)].
 * TESP takes the middle of [highest accepted ask, lowest accepted bid] and then moves it just past
 * any rejected bid or ask that lies beyond that middle.
 */

const bids = (orders: readonly LimitOrder[], side: 'buy' | 'sell'): TespBid[] =>
  orders.filter((o) => o.side === side).map((o) => ({ price: o.price, quantity: o.quantity }));

function clearBoth(orders: LimitOrder[]) {
  return {
    tesp: tespClear(bids(orders, 'buy'), bids(orders, 'sell')),
    gridtier: uniformPrice(orders, { k: 0.5 }),
  };
}

/**
 * The range of market-clearing prices for quantity q, found from its definition without either
 * market's rule. A price p supports q when the buyers bidding above p want at most q and those
 * bidding at least p want at least q, and when the sellers asking below p offer at most q and
 * those asking at most p offer at least q. The prices that support q form an interval whose ends
 * are order prices.
 */
function clearingRange(orders: readonly LimitOrder[], q: number): [number, number] {
  const supports = (p: number) => {
    let demandAbove = 0;
    let demandFrom = 0;
    let supplyBelow = 0;
    let supplyUpTo = 0;
    for (const o of orders) {
      if (o.side === 'buy') {
        if (o.price > p) demandAbove += o.quantity;
        if (o.price >= p) demandFrom += o.quantity;
      } else {
        if (o.price < p) supplyBelow += o.quantity;
        if (o.price <= p) supplyUpTo += o.quantity;
      }
    }
    return demandAbove <= q && q <= demandFrom && supplyBelow <= q && q <= supplyUpTo;
  };
  const prices = [...new Set(orders.map((o) => o.price))].filter(supports);
  expect(prices.length).toBeGreaterThan(0);
  return [Math.min(...prices), Math.max(...prices)];
}

describe('TESP clearing cases on hand-built curves', () => {
  it('marginal buyer: the partly served bid sets the price in both markets', () => {
    // demand 10@10, 10@8; supply 5@2, 10@6, 5@9. Supply runs out at 15 inside the 8 bid, and the next ask, 9, is above it
    const o = [
      order('b1', 'buy', 10, 10),
      order('b2', 'buy', 8, 10),
      order('s1', 'sell', 2, 5),
      order('s2', 'sell', 6, 10),
      order('s3', 'sell', 9, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(tesp).toEqual({ type: 'buyer', price: 8, quantity: 15 });
    expect(gridtier.volume).toBe(15);
    expect(gridtier.clearingPrice).toBe(8);
    expect(clearingRange(o, 15)).toEqual([8, 8]);
  });

  it('marginal seller: the partly served ask sets the price in both markets', () => {
    // demand 5@10, 5@7; supply 4@3, 10@5. Demand runs out at 10 inside the 5 ask
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 7, 5),
      order('s1', 'sell', 3, 4),
      order('s2', 'sell', 5, 10),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(tesp).toEqual({ type: 'seller', price: 5, quantity: 10 });
    expect(gridtier.volume).toBe(10);
    expect(gridtier.clearingPrice).toBe(5);
  });

  it('exact: both curves step at the same quantity, where the last bid equals the last ask', () => {
    // demand 5@10, 5@6, 5@4; supply 5@2, 5@6, 5@9. Both curves step at 10 with bid = ask = 6
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 6, 5),
      order('b3', 'buy', 4, 5),
      order('s1', 'sell', 2, 5),
      order('s2', 'sell', 6, 5),
      order('s3', 'sell', 9, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(tesp).toEqual({ type: 'exact', price: 6, quantity: 10 });
    expect(gridtier.volume).toBe(10);
    expect(gridtier.clearingPrice).toBe(6);
  });

  it('horizontal overlap: both curves flat at one price, and that price is the price whichever side is long', () => {
    const head = [order('b1', 'buy', 10, 5), order('s1', 'sell', 3, 5)];
    // buyers long at 7: demand 15 against supply 13
    const buyersLong = clearBoth([...head, order('b2', 'buy', 7, 10), order('s2', 'sell', 7, 8)]);
    expect(buyersLong.tesp).toEqual({ type: 'buyer', price: 7, quantity: 13 });
    expect([buyersLong.gridtier.clearingPrice, buyersLong.gridtier.volume]).toEqual([7, 13]);
    // sellers long at 7: demand 13 against supply 15
    const sellersLong = clearBoth([...head, order('b2', 'buy', 7, 8), order('s2', 'sell', 7, 10)]);
    expect(sellersLong.tesp).toEqual({ type: 'seller', price: 7, quantity: 13 });
    expect([sellersLong.gridtier.clearingPrice, sellersLong.gridtier.volume]).toEqual([7, 13]);
    // overlap of equal length at 7: the curves end together
    const even = clearBoth([...head, order('b2', 'buy', 7, 10), order('s2', 'sell', 7, 10)]);
    expect(even.tesp).toEqual({ type: 'exact', price: 7, quantity: 15 });
    expect([even.gridtier.clearingPrice, even.gridtier.volume]).toEqual([7, 15]);
  });

  it('vertical segment with no rejected order inside it: both take its midpoint', () => {
    // demand 5@10, 5@3; supply 5@4, 5@12. Both step at 5 and meet on the segment 4..10
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 3, 5),
      order('s1', 'sell', 4, 5),
      order('s2', 'sell', 12, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(tesp).toEqual({ type: 'price', price: 7, quantity: 5 });
    expect(gridtier.volume).toBe(5);
    expect(gridtier.clearingPrice).toBe(7);
    expect(clearingRange(o, 5)).toEqual([4, 10]);
  });

  it('vertical segment that ends at a rejected order: that price in both markets', () => {
    // a rejected bid at the last accepted bid, 10: the price must be 10, or that buyer would want in
    const bidTie = clearBoth([
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 10, 5),
      order('s1', 'sell', 4, 5),
    ]);
    expect(bidTie.tesp).toEqual({ type: 'price', price: 10, quantity: 5 });
    expect([bidTie.gridtier.clearingPrice, bidTie.gridtier.volume]).toEqual([10, 5]);
    // a rejected ask at the last accepted ask, 4
    const askTie = clearBoth([
      order('b1', 'buy', 10, 5),
      order('s1', 'sell', 4, 5),
      order('s2', 'sell', 4, 5),
    ]);
    expect(askTie.tesp).toEqual({ type: 'price', price: 4, quantity: 5 });
    expect([askTie.gridtier.clearingPrice, askTie.gridtier.volume]).toEqual([4, 5]);
  });

  it('differs: a rejected bid above the midpoint. TESP goes just above that bid, GridTier to the middle of the range', () => {
    // segment 4..10, midpoint 7; the rejected bid at 8 narrows the clearing range to [8, 10]
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 8, 5),
      order('s1', 'sell', 4, 5),
      order('s2', 'sell', 12, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(clearingRange(o, 5)).toEqual([8, 10]);
    expect(tesp).toEqual({ type: 'price', price: 8 + 1e-4, quantity: 5 });
    expect(gridtier.volume).toBe(5);
    expect(gridtier.clearingPrice).toBe(9);
    // TESP sits at the bottom of the range (plus its bid offset), GridTier at the middle
    expect(gridtier.clearingPrice! - tesp.price).toBeCloseTo(1 - 1e-4, 12);
  });

  it('differs: a rejected ask below the midpoint. TESP goes just below that ask, GridTier to the middle of the range', () => {
    // segment 4..10, midpoint 7; the rejected ask at 6 narrows the clearing range to [4, 6]
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 1, 5),
      order('s1', 'sell', 4, 5),
      order('s2', 'sell', 6, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(clearingRange(o, 5)).toEqual([4, 6]);
    expect(tesp).toEqual({ type: 'price', price: 6 - 1e-4, quantity: 5 });
    expect(gridtier.volume).toBe(5);
    expect(gridtier.clearingPrice).toBe(5);
    // TESP sits at the top of the range (less its bid offset), GridTier at the middle
    expect(tesp.price - gridtier.clearingPrice!).toBeCloseTo(1 - 1e-4, 12);
  });

  it('differs: a rejected bid inside the segment but below its midpoint. TESP ignores it, GridTier does not', () => {
    // segment 4..10; the rejected bid at 5 narrows the range to [5, 10]. TESP keeps the segment's midpoint, 7,
    // which is still a clearing price, and GridTier takes the range's midpoint, 7.5
    const o = [
      order('b1', 'buy', 10, 5),
      order('b2', 'buy', 5, 5),
      order('s1', 'sell', 4, 5),
      order('s2', 'sell', 12, 5),
    ];
    const { tesp, gridtier } = clearBoth(o);
    expect(clearingRange(o, 5)).toEqual([5, 10]);
    expect(tesp).toEqual({ type: 'price', price: 7, quantity: 5 });
    expect(gridtier.volume).toBe(5);
    expect(gridtier.clearingPrice).toBe(7.5);
  });

  it('differs: no trade. TESP still posts a price and GridTier posts none', () => {
    // best bid 4 below best ask 6: TESP posts ask + 0.5·(bid − ask) = 5 with a quantity of 0
    const crossedOut = clearBoth([order('b', 'buy', 4, 5), order('s', 'sell', 6, 5)]);
    expect(crossedOut.tesp).toEqual({ type: 'null', price: 5, quantity: 0 });
    expect([crossedOut.gridtier.clearingPrice, crossedOut.gridtier.volume]).toEqual([null, 0]);
    // with one side empty TESP posts just under the best ask (or just over the best bid)
    expect(clearBoth([order('s', 'sell', 6, 5)]).tesp).toEqual({
      type: 'null',
      price: 6 - 1e-4,
      quantity: 0,
    });
    expect(clearBoth([order('b', 'buy', 4, 5)]).tesp).toEqual({ type: 'null', price: 4 + 1e-4, quantity: 0 });
    expect(clearBoth([]).tesp).toEqual({ type: 'null', price: 0, quantity: 0 });
    expect(clearBoth([order('s', 'sell', 6, 5)]).gridtier.clearingPrice).toBeNull();
  });

  it('differs: TESP’s fixed offset leaves the clearing range when a rejected bid is within 1e-4 of the last accepted one', () => {
    // the rejected bid 9.99995 lies above the midpoint 7, so TESP posts 9.99995 + 1e-4 = 10.00005. The accepted
    // buyer bid 10 and would not buy at that price. GridTier stays within [9.99995, 10]
    const o = [order('b1', 'buy', 10, 5), order('b2', 'buy', 9.99995, 5), order('s1', 'sell', 4, 5)];
    const { tesp, gridtier } = clearBoth(o);
    expect(tesp.type).toBe('price');
    expect(tesp.price).toBeGreaterThan(10);
    expect(gridtier.clearingPrice).toBeGreaterThanOrEqual(9.99995);
    expect(gridtier.clearingPrice).toBeLessThanOrEqual(10);
  });

  it('decimal quantities: GridTier treats floating-point dust as used up, TESP reads it as a marginal seller', () => {
    // in exact arithmetic, 0.1 + 0.2 from two sellers meets the buyer's 0.3 exactly, and the range is [6, 10] with
    // midpoint 8, as the same market in units of 0.1 shows. In floating point the walk leaves 2.8e-17 of s2, which
    // GridTier drops as dust (relative 1e-9); TESP's cumulative supply 0.30000000000000004 exceeds 0.3, so it sees a
    // marginal seller at 6
    const inKWh = [order('s1', 'sell', 4, 0.1), order('s2', 'sell', 6, 0.2), order('b', 'buy', 10, 0.3)];
    const inTenths = [order('s1', 'sell', 4, 1), order('s2', 'sell', 6, 2), order('b', 'buy', 10, 3)];
    expect(clearBoth(inTenths).gridtier.clearingPrice).toBe(8);
    expect(clearBoth(inTenths).tesp).toEqual({ type: 'price', price: 8, quantity: 3 });
    const { tesp, gridtier } = clearBoth(inKWh);
    expect(gridtier.clearingPrice).toBe(8);
    expect(tesp).toEqual({ type: 'seller', price: 6, quantity: 0.3 });
  });
});

/** Short curves with small quantities, so that both curves often step at the same quantity. */
const tightCurves = fc
  .array(
    fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      price: fc.integer({ min: 1, max: 16 }).map((p) => p / 2),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 12 },
  )
  .map((xs) => xs.map((x, i): LimitOrder => ({ id: `o${i}`, type: 'limit', timeInForce: 'GTC', ...x })));

const markets = fc.oneof(orderSets(), tightCurves);

describe('TESP and GridTier on random shared curves', () => {
  it('agree on the quantity always, on the price when one price clears, and otherwise price within one range', () => {
    fc.assert(
      fc.property(markets, (orders) => {
        const { tesp, gridtier } = clearBoth(orders);
        expect(tesp.quantity).toBe(gridtier.volume);
        if (gridtier.volume === 0) {
          expect(tesp.type).toBe('null');
          expect(gridtier.clearingPrice).toBeNull();
          return;
        }
        const [lo, hi] = clearingRange(orders, gridtier.volume);
        // GridTier's own range is this range: k = 0 and k = 1 are its ends
        expect(uniformPrice(orders, { k: 0 }).clearingPrice).toBe(lo);
        expect(uniformPrice(orders, { k: 1 }).clearingPrice).toBe(hi);
        expect(gridtier.clearingPrice).toBe((lo + hi) / 2);
        // with prices on a 0.5 grid, TESP's 1e-4 offset never leaves the range
        expect(tesp.price).toBeGreaterThanOrEqual(lo);
        expect(tesp.price).toBeLessThanOrEqual(hi);
        if (lo === hi) expect(tesp.price).toBe(gridtier.clearingPrice);
        // a marginal buyer, a marginal seller or an exact match always pin the price to one value
        if (tesp.type !== 'price') expect(lo).toBe(hi);
      }),
      { numRuns: 1000 },
    );
  });

  it('the random markets reach every TESP clearing case, and prices are ambiguous in some of them', () => {
    const seen = new Set<string>();
    for (const orders of fc.sample(markets, { numRuns: 2000, seed: 20240601 })) {
      const { tesp, gridtier } = clearBoth(orders);
      seen.add(tesp.type);
      if (tesp.quantity > 0) {
        const [lo, hi] = clearingRange(orders, tesp.quantity);
        if (lo < hi)
          seen.add(tesp.price === gridtier.clearingPrice ? 'ambiguous, same price' : 'ambiguous, differ');
      }
    }
    expect([...seen].sort()).toEqual(
      ['ambiguous, differ', 'ambiguous, same price', 'buyer', 'exact', 'null', 'price', 'seller'].sort(),
    );
  });
});
