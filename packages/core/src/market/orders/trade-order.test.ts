import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { DEFAULT_TRADE_PRICE_CAP, parseTradeOrderDocument, parseTradeOrders } from './trade-order.js';

describe('trade orders', () => {
  it('rejects each bad order with its id and reason, and keeps the good ones', () => {
    const raw = [
      { id: 'ok', side: 'buy', price: 10, quantity: 2 },
      { id: 'neg', side: 'sell', price: 5, quantity: -1 },
      { id: 'zero', side: 'sell', price: 5, quantity: 0 },
      { id: 'nan', side: 'buy', price: Number.NaN, quantity: 1 },
      { id: 'noprice', side: 'buy', quantity: 1 },
      { id: 'side', side: 'hold', price: 1, quantity: 1 },
      { side: 'buy', price: 1, quantity: 1 },
      { id: 'ok', side: 'sell', price: 3, quantity: 1 },
      { id: 'late', side: 'sell', price: 3, quantity: 1, time: 1900 },
      { id: 'mkt', side: 'buy', type: 'market', quantity: 1 },
      { id: 'extra', side: 'buy', price: 1, quantity: 1, colour: 'red' },
      'not an order',
    ];
    const r = parseTradeOrders(raw, { gateClosure: 1800, allowMarketOrders: false });
    expect(r.orders.map((o) => o.id)).toEqual(['ok']);
    const why = Object.fromEntries(r.rejected.map((x) => [x.id, x.reason]));
    expect(why.neg).toMatch(/quantity/);
    expect(why.zero).toMatch(/quantity/);
    expect(why.nan).toMatch(/price/);
    expect(why.noprice).toMatch(/price: a limit order needs a price/);
    expect(why.side).toMatch(/side/);
    expect(why['#6']).toMatch(/id/);
    expect(r.rejected.find((x) => x.index === 7)?.reason).toMatch(/duplicate/);
    expect(why.late).toMatch(/after gate closure at 1800/);
    expect(why.mkt).toMatch(/limit orders only/);
    expect(why.extra).toMatch(/colour/);
    expect(why['#11']).toBeDefined();
  });

  it('reads an orders document: its settings by name, a price band with a default cap', () => {
    const doc = {
      gateClosure: 100,
      orders: [
        { id: 'a', side: 'buy', price: 0.3, quantity: 1 },
        { id: 'b', side: 'buy', price: 1e308, quantity: 1 },
      ],
    };
    const r = parseTradeOrderDocument(doc, 'o.json');
    expect(r.orders.map((o) => o.id)).toEqual(['a']);
    expect(r.rejected[0].reason).toBe(
      `price: 1e+308 is above the market's price cap of ${DEFAULT_TRADE_PRICE_CAP} (set "priceCap" in the orders document)`,
    );
    const mwh = parseTradeOrderDocument({ ...doc, priceCap: 5000, priceFloor: 0.5 }, 'o.json');
    expect(mwh.orders.map((o) => o.id)).toEqual([]);
    expect(mwh.rejected.map((x) => x.reason)).toEqual([
      "price: 0.3 is below the market's price floor of 0.5",
      expect.stringMatching(/above the market's price cap of 5000/),
    ]);
    for (const bad of [
      { order: [] },
      [],
      null,
      { orders: [], gateClosure: 'noon' },
      { orders: [], priceFloor: 9, priceCap: 1 },
    ])
      expect(() => parseTradeOrderDocument(bad, 'o.json')).toThrow(InvalidValueError);
    expect(() => parseTradeOrderDocument({ order: [] }, 'o.json')).toThrow(
      /o\.json: orders: .*Unrecognized key: "order"/,
    );
  });
});
