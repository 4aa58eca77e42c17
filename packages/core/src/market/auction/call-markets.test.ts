import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitOrder } from '../orders/index.js';
import type { CallResult } from './index.js';
import { mda, meritOrder, meritOrderHierarchy, payAsBid, uniformPrice } from './index.js';
import { order, orderSets } from './test-support.js';

const mechanisms: [string, (o: LimitOrder[]) => CallResult][] = [
  ['uniform', (o) => uniformPrice(o)],
  ['pay-as-bid', (o) => payAsBid(o)],
  ['mda', (o) => mda(o)],
  ['merit', (o) => meritOrder(o)],
];

/** The seed's example: prosumers 20/5, 30/20, 45/5, 55/10 and consumers 50/10, 60/10 (ct/kWh, kW). */
const liuSmall = [
  order('p1', 'sell', 20, 5),
  order('p2', 'sell', 30, 20),
  order('p3', 'sell', 45, 5),
  order('p4', 'sell', 55, 10),
  order('c1', 'buy', 50, 10),
  order('c2', 'buy', 60, 10),
];

const tradesOf = (r: CallResult) => r.trades.map((t) => [t.buyOrderId, t.sellOrderId, t.price, t.quantity]);

describe('worked examples', () => {
  it('liu-small merit order: the higher bid is served first from the cheapest offers, both pay the offers’ prices', () => {
    const r = meritOrder(liuSmall);
    expect(tradesOf(r)).toEqual([
      ['c2', 'p1', 20, 5],
      ['c2', 'p2', 30, 5],
      ['c1', 'p2', 30, 10],
    ]);
    expect(r.volume).toBe(20);
  });

  it('liu-small as a uniform-price market clears at the marginal prosumer’s 30 for 20 kW', () => {
    const r = uniformPrice(liuSmall);
    expect(r.clearingPrice).toBe(30);
    expect(r.volume).toBe(20);
  });

  it('liu-small as an MDA: the marginal pair (c1, p2) is excluded and the long buyer side is rationed', () => {
    const r = mda(liuSmall);
    expect(r.trades).toEqual([
      { buyOrderId: 'c2', sellOrderId: 'p1', price: 50, quantity: 5, buyerPrice: 50, sellerPrice: 30 },
    ]);
    expect(r.operatorSurplus).toBe(100);
  });

  it('one microgrid’s leftover is sold to the other in the second level', () => {
    const r = meritOrderHierarchy([
      { id: 'mg1', orders: [order('a', 'sell', 10, 8), order('b', 'buy', 20, 3)] },
      { id: 'mg2', orders: [order('c', 'buy', 15, 4), order('d', 'sell', 30, 2)] },
    ]);
    expect(r.local.map((l) => l.result.volume)).toEqual([3, 0]);
    expect(tradesOf(r.between)).toEqual([['c', 'a', 10, 4]]);
  });

  it('k moves the uniform price within the clearing range', () => {
    const o = [order('b', 'buy', 10, 5), order('s', 'sell', 4, 5)];
    expect(uniformPrice(o, { k: 0 }).clearingPrice).toBe(4);
    expect(uniformPrice(o).clearingPrice).toBe(7);
    expect(uniformPrice(o, { k: 1 }).clearingPrice).toBe(10);
  });

  it('equal prices go to the earlier order, then to the one listed first', () => {
    const o: LimitOrder[] = [
      { ...order('late', 'buy', 10, 5), time: 9 },
      { ...order('early', 'buy', 10, 5), time: 1 },
      order('untimed', 'buy', 10, 5),
      order('s', 'sell', 5, 7),
    ];
    expect(tradesOf(uniformPrice(o)).map((t) => [t[0], t[3]])).toEqual([
      ['early', 5],
      ['late', 2],
    ]);
  });
});

describe.each(mechanisms)('%s on random order sets', (_, clear) => {
  it('conserves quantity, trades no order beyond its limit, and balances its budget', () => {
    fc.assert(
      fc.property(orderSets(), (orders) => {
        const r = clear(orders);
        const byId = new Map(orders.map((o) => [o.id, o]));
        const filled = new Map<string, number>();
        let paid = 0;
        let received = 0;
        for (const t of r.trades) {
          const buy = byId.get(t.buyOrderId)!;
          const sell = byId.get(t.sellOrderId)!;
          expect(buy.side).toBe('buy');
          expect(sell.side).toBe('sell');
          expect(t.quantity).toBeGreaterThan(0);
          const buyerPays = t.buyerPrice ?? t.price;
          const sellerGets = t.sellerPrice ?? t.price;
          expect(buyerPays).toBeLessThanOrEqual(buy.price + 1e-9);
          expect(sellerGets).toBeGreaterThanOrEqual(sell.price - 1e-9);
          for (const id of [t.buyOrderId, t.sellOrderId]) filled.set(id, (filled.get(id) ?? 0) + t.quantity);
          paid += buyerPays * t.quantity;
          received += sellerGets * t.quantity;
        }
        for (const [id, q] of filled) expect(q).toBeLessThanOrEqual(byId.get(id)!.quantity + 1e-9);
        expect(paid - received).toBeCloseTo(r.operatorSurplus, 6);
        expect(r.operatorSurplus).toBeGreaterThanOrEqual(-1e-9);
        expect(clear(orders)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });
});

describe('efficiency', () => {
  it('uniform and pay-as-bid trade the welfare-maximizing volume; the MDA at most that', () => {
    fc.assert(
      fc.property(orderSets(), (orders) => {
        const u = uniformPrice(orders);
        expect(payAsBid(orders).volume).toBeCloseTo(u.volume, 9);
        expect(mda(orders).volume).toBeLessThanOrEqual(u.volume + 1e-9);
        // no unmatched bid is above an unmatched ask: nothing left to gain from trade
        const left = new Map(orders.map((o) => [o.id, o.quantity]));
        for (const t of u.trades) {
          left.set(t.buyOrderId, left.get(t.buyOrderId)! - t.quantity);
          left.set(t.sellOrderId, left.get(t.sellOrderId)! - t.quantity);
        }
        const open = orders.filter((o) => left.get(o.id)! > 1e-9);
        const bestBid = Math.max(...open.filter((o) => o.side === 'buy').map((o) => o.price));
        const bestAsk = Math.min(...open.filter((o) => o.side === 'sell').map((o) => o.price));
        expect(bestBid < bestAsk || !Number.isFinite(bestBid) || !Number.isFinite(bestAsk)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('MDA strategy-proofness, checked empirically', () => {
  it('no agent raises its utility by misreporting its price, over a sweep of misreports', () => {
    const utility = (orders: LimitOrder[], id: string, value: number) => {
      const r = mda(orders);
      let u = 0;
      for (const t of r.trades) {
        if (t.buyOrderId === id) u += (value - t.buyerPrice!) * t.quantity;
        if (t.sellOrderId === id) u += (t.sellerPrice! - value) * t.quantity;
      }
      return u;
    };
    fc.assert(
      fc.property(orderSets(16), fc.nat(), (orders, pick) => {
        if (orders.length === 0) return;
        const agent = orders[pick % orders.length];
        const truthful = utility(orders, agent.id, agent.price);
        for (let lie = 0; lie <= 21; lie += 0.25) {
          const misreported = orders.map((o) => (o.id === agent.id ? { ...o, price: lie } : o));
          expect(utility(misreported, agent.id, agent.price)).toBeLessThanOrEqual(truthful + 1e-9);
        }
      }),
      { numRuns: 100 },
    );
  });
});
