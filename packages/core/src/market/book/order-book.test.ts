import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import type { TradeOrder } from '../orders/index.js';
import { OrderBook } from './order-book.js';
import type { OrderBookOptions } from './types.js';

let counter = 0;
function order(
  side: 'buy' | 'sell',
  price: number | undefined,
  quantity: number,
  more: Partial<TradeOrder> = {},
) {
  const o: TradeOrder = {
    id: `x${counter++}`,
    side,
    type: price === undefined ? 'market' : 'limit',
    quantity,
    timeInForce: 'GTC',
    ...more,
  };
  if (price !== undefined) o.price = price;
  return o;
}
const buy = (price: number | undefined, quantity: number, more: Partial<TradeOrder> = {}) =>
  order('buy', price, quantity, more);
const sell = (price: number | undefined, quantity: number, more: Partial<TradeOrder> = {}) =>
  order('sell', price, quantity, more);

function bookWith(orders: TradeOrder[], options?: OrderBookOptions) {
  const book = new OrderBook(options);
  for (const o of orders) expect(book.submit(o).accepted).toBe(true);
  return book;
}

const snapshot = (book: OrderBook) => ({
  bids: book.depth('buy'),
  asks: book.depth('sell'),
  size: book.size,
  orders: [...book.depth('buy'), ...book.depth('sell')].length,
});

const tradeIds = (r: { trades: readonly { buyOrderId: string; sellOrderId: string }[] }) =>
  r.trades.map((t) => `${t.buyOrderId}/${t.sellOrderId}`);

describe('OrderBook matching', () => {
  it('gives priority to the better price, then to the earlier order at one price', () => {
    const s1 = sell(10, 5, { id: 's1' });
    const s2 = sell(10, 5, { id: 's2' });
    const s0 = sell(9.5, 5, { id: 's0' });
    const book = bookWith([s1, s2, s0]);
    const r = book.submit(buy(10, 12, { id: 'b' }));
    expect(tradeIds(r)).toEqual(['b/s0', 'b/s1', 'b/s2']);
    expect(r.trades.map((t) => t.price)).toEqual([9.5, 10, 10]);
    expect(r.trades.map((t) => t.quantity)).toEqual([5, 5, 2]);
    expect(book.get('s2')?.quantity).toBe(3);
  });

  it('trades at the resting order’s price, whichever side arrives', () => {
    const book = bookWith([sell(10, 1, { id: 'ask' }), buy(8, 1, { id: 'bid' })]);
    expect(book.submit(buy(12, 1)).trades[0].price).toBe(10);
    expect(book.submit(sell(5, 1)).trades[0].price).toBe(8);
  });

  it('fills partially and rests the remainder at its limit', () => {
    const book = bookWith([sell(10, 3, { id: 's' })]);
    const r = book.submit(buy(11, 8, { id: 'b' }));
    expect(r).toMatchObject({ accepted: true, restingQuantity: 5, cancelledQuantity: 0 });
    expect(r.trades).toEqual([{ buyOrderId: 'b', sellOrderId: 's', price: 10, quantity: 3 }]);
    expect(book.bestBid()).toBe(11);
    expect(book.bestAsk()).toBeUndefined();
    expect(book.depth('buy')).toEqual([{ price: 11, quantity: 5 }]);
  });

  it('walks the book level by level and stops at the limit', () => {
    const book = bookWith([sell(10, 1), sell(11, 2), sell(12, 4), sell(13, 8)]);
    const r = book.submit(buy(12, 10, { id: 'b' }));
    expect(r.trades.map((t) => [t.price, t.quantity])).toEqual([
      [10, 1],
      [11, 2],
      [12, 4],
    ]);
    expect(r.restingQuantity).toBe(3);
    expect(book.bestBid()).toBe(12);
    expect(book.bestAsk()).toBe(13);
    expect(book.depth('sell', 5)).toEqual([{ price: 13, quantity: 8 }]);
  });

  it('reports depth best first, summed per level, limited to the levels asked', () => {
    const book = bookWith([buy(9, 1), buy(10, 2), buy(10, 3), buy(8, 4), sell(11, 1), sell(12, 2)]);
    expect(book.depth('buy')).toEqual([
      { price: 10, quantity: 5 },
      { price: 9, quantity: 1 },
      { price: 8, quantity: 4 },
    ]);
    expect(book.depth('buy', 2)).toHaveLength(2);
    expect(book.depth('sell', 0)).toEqual([]);
    expect(() => book.depth('buy', -1)).toThrow(InvalidValueError);
    expect(() => book.depth('buy', 1.5)).toThrow(InvalidValueError);
  });

  it('lets a market order take any price and never rests it', () => {
    const book = bookWith([sell(10, 2), sell(50, 2)]);
    const r = book.submit(buy(undefined, 5));
    expect(r.trades.map((t) => t.price)).toEqual([10, 50]);
    expect(r).toMatchObject({ restingQuantity: 0, cancelledQuantity: 1 });
    expect(book.size).toBe(0);
    const empty = new OrderBook().submit(sell(undefined, 3));
    expect(empty).toMatchObject({ accepted: true, trades: [], restingQuantity: 0, cancelledQuantity: 3 });
  });
});

describe('OrderBook ids given by a venue', () => {
  it('rests, trades, reports and cancels an order under the id given, leaving the order as it was', () => {
    const book = new OrderBook();
    const resting = sell(0.2, 5, { id: '-', owner: 'a' });
    expect(book.submit(resting, 0, 'o1').accepted).toBe(true);
    expect(book.get('o1')).toMatchObject({ id: 'o1', price: 0.2, quantity: 5 });
    expect(book.get('-')).toBeUndefined();
    // the same own id under another venue id is another order
    expect(book.submit(sell(0.3, 1, { id: '-', owner: 'a' }), 0, 'o2').accepted).toBe(true);
    const r = book.submit(buy(0.25, 2, { id: '-', owner: 'b' }), 1, 'o3');
    expect(tradeIds(r)).toEqual(['o3/o1']);
    expect(book.get('o1')?.quantity).toBe(3);
    expect(book.submit(sell(0.2, 1), 2, 'o1').reason).toMatch(/resting/);
    expect(book.cancel('o1')).toBe(3);
    expect(resting.id).toBe('-');
    expect(resting.quantity).toBe(5);
  });
});

describe('OrderBook time in force', () => {
  it('IOC fills what it can and cancels the rest', () => {
    const book = bookWith([sell(10, 2)]);
    const r = book.submit(buy(10, 5, { timeInForce: 'IOC' }));
    expect(r).toMatchObject({ restingQuantity: 0, cancelledQuantity: 3 });
    expect(r.trades).toHaveLength(1);
    expect(book.size).toBe(0);
  });

  it('FOK does nothing unless it fills entirely at acceptable prices', () => {
    const book = bookWith([sell(10, 2), sell(11, 2), sell(12, 5)]);
    const before = snapshot(book);
    const killed = book.submit(buy(11, 5, { timeInForce: 'FOK' }));
    expect(killed).toMatchObject({ accepted: true, trades: [], restingQuantity: 0, cancelledQuantity: 5 });
    expect(snapshot(book)).toEqual(before);
    const filled = book.submit(buy(12, 5, { timeInForce: 'FOK' }));
    expect(filled.trades.map((t) => t.quantity)).toEqual([2, 2, 1]);
    expect(filled.cancelledQuantity).toBe(0);
    expect(book.depth('sell')).toEqual([{ price: 12, quantity: 4 }]);
  });

  it('FOK counts an own resting order as unavailable and leaves it alone when killed', () => {
    const book = bookWith([sell(10, 3, { owner: 'a', id: 'own' }), sell(10, 2, { owner: 'b' })]);
    const before = snapshot(book);
    const r = book.submit(buy(10, 4, { owner: 'a', timeInForce: 'FOK' }));
    expect(r).toMatchObject({ trades: [], cancelledQuantity: 4, removed: [] });
    expect(snapshot(book)).toEqual(before);
    // enough from others: the own order is cancelled on the way, as the policy says
    const ok = book.submit(buy(10, 2, { owner: 'a', timeInForce: 'FOK' }));
    expect(ok.trades).toHaveLength(1);
    expect(ok.removed.map((x) => [x.order.id, x.reason])).toEqual([['own', 'self-trade']]);
  });

  it('FOK under cancel-incoming cannot pass an own order', () => {
    const book = bookWith([sell(10, 3, { owner: 'a' }), sell(10, 5, { owner: 'b' })], {
      selfTrade: 'cancel-incoming',
    });
    const r = book.submit(buy(10, 2, { owner: 'a', timeInForce: 'FOK' }));
    expect(r).toMatchObject({ trades: [], cancelledQuantity: 2 });
    expect(book.size).toBe(2);
  });

  it('a market FOK takes the whole book or nothing', () => {
    const book = bookWith([buy(10, 2), buy(5, 2)]);
    expect(book.submit(sell(undefined, 5, { timeInForce: 'FOK' })).trades).toEqual([]);
    expect(book.submit(sell(undefined, 4, { timeInForce: 'FOK' })).trades).toHaveLength(2);
  });

  it('GTD rests until expire(now) reaches its expiresAt', () => {
    const book = bookWith([
      buy(10, 1, { id: 'g5', timeInForce: 'GTD', expiresAt: 5, time: 0 }),
      buy(9, 1, { id: 'g3', timeInForce: 'GTD', expiresAt: 3, time: 0 }),
      buy(8, 1, { id: 'gtc' }),
    ]);
    expect(book.expire(2.9)).toEqual([]);
    expect(book.expire(5).map((o) => o.id)).toEqual(['g3', 'g5']);
    expect(book.size).toBe(1);
    expect(book.expire(1e9)).toEqual([]);
    expect(() => book.expire(Number.NaN)).toThrow(InvalidValueError);
  });

  it('expires due GTD orders before a timed call acts, so they never trade', () => {
    const book = bookWith([
      sell(10, 1, { id: 'old', timeInForce: 'GTD', expiresAt: 5 }),
      sell(11, 1, { id: 'gtc' }),
    ]);
    const r = book.submit(buy(11, 1, { id: 'b' }), 5);
    expect(tradeIds(r)).toEqual(['b/gtc']);
    expect(r.removed).toEqual([
      { order: expect.objectContaining({ id: 'old', quantity: 1 }), reason: 'expired' },
    ]);
    // the order's own time serves when no now is given
    const book2 = bookWith([sell(10, 1, { timeInForce: 'GTD', expiresAt: 5 })]);
    expect(book2.submit(buy(10, 1, { time: 6 })).trades).toEqual([]);
    // and without any time nothing expires
    const book3 = bookWith([sell(10, 1, { timeInForce: 'GTD', expiresAt: 5 })]);
    expect(book3.submit(buy(10, 1)).trades).toHaveLength(1);
  });

  it('rejects an order that has expired by its own time', () => {
    const book = new OrderBook();
    const r = book.submit(buy(10, 1, { timeInForce: 'GTD', expiresAt: 5, time: 5 }));
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(/expiresAt/);
    expect(book.submit(buy(10, 1, { timeInForce: 'GTD', expiresAt: 5 }), 7).accepted).toBe(false);
    expect(book.size).toBe(0);
  });

  it('gate closure cancels everything resting and reports it in arrival order', () => {
    const book = bookWith([buy(9, 1, { id: 'a' }), sell(11, 2, { id: 'b' }), buy(10, 3, { id: 'c' })]);
    book.submit(sell(10, 1));
    const closed = book.closeGate();
    expect(closed.map((o) => [o.id, o.quantity])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
    ]);
    expect(book.size).toBe(0);
    expect(book.bestBid()).toBeUndefined();
    expect(book.bestAsk()).toBeUndefined();
    expect(book.closeGate()).toEqual([]);
    expect(book.submit(buy(10, 1, { id: 'a' })).accepted).toBe(true);
  });
});

describe('OrderBook cancel and replace', () => {
  it('cancel returns the open quantity and the order no longer trades', () => {
    const book = bookWith([sell(10, 4, { id: 's1' }), sell(10, 1, { id: 's2' })]);
    book.submit(buy(10, 1));
    expect(book.cancel('s1')).toBe(3);
    expect(book.cancel('s1')).toBe(0);
    expect(book.cancel('nope')).toBe(0);
    expect(tradeIds(book.submit(buy(10, 5, { id: 'b' })))).toEqual(['b/s2']);
    expect(book.depth('sell')).toEqual([]);
  });

  it('a quantity decrease keeps the order’s place in time', () => {
    const book = bookWith([sell(10, 5, { id: 'first' }), sell(10, 5, { id: 'second' })]);
    const r = book.replace('first', { quantity: 2 });
    expect(r).toMatchObject({ accepted: true, restingQuantity: 2, trades: [] });
    expect(book.depth('sell')).toEqual([{ price: 10, quantity: 7 }]);
    expect(tradeIds(book.submit(buy(10, 1, { id: 'b' })))).toEqual(['b/first']);
  });

  it('a quantity increase sends the order to the back', () => {
    const book = bookWith([sell(10, 5, { id: 'first' }), sell(10, 5, { id: 'second' })]);
    expect(book.replace('first', { quantity: 6 }).restingQuantity).toBe(6);
    expect(tradeIds(book.submit(buy(10, 1, { id: 'b' })))).toEqual(['b/second']);
  });

  it('a price change sends the order to the back of its new level', () => {
    const book = bookWith([sell(11, 5, { id: 'moved' }), sell(10, 5, { id: 'there' })]);
    book.replace('moved', { price: 10 });
    expect(book.get('moved')).toMatchObject({ price: 10, quantity: 5 });
    expect(book.depth('sell')).toEqual([{ price: 10, quantity: 10 }]);
    expect(tradeIds(book.submit(buy(10, 6, { id: 'b' })))).toEqual(['b/there', 'b/moved']);
  });

  it('a price change that crosses the spread trades at once', () => {
    const book = bookWith([buy(10, 3, { id: 'bid' }), sell(12, 5, { id: 'ask' })]);
    const r = book.replace('ask', { price: 9 });
    expect(r.trades).toEqual([{ buyOrderId: 'bid', sellOrderId: 'ask', price: 10, quantity: 3 }]);
    expect(r.restingQuantity).toBe(2);
    expect(book.bestAsk()).toBe(9);
    expect(book.bestBid()).toBeUndefined();
  });

  it('rejects a replace of an unknown, filled or cancelled order, or a bad change', () => {
    const book = bookWith([
      sell(10, 1, { id: 'filled' }),
      sell(11, 1, { id: 'cancelled' }),
      buy(5, 1, { id: 'ok' }),
    ]);
    book.submit(buy(10, 1));
    book.cancel('cancelled');
    const before = snapshot(book);
    for (const [id, change] of [
      ['filled', { price: 9 }],
      ['cancelled', { quantity: 1 }],
      ['never', { quantity: 1 }],
      ['ok', {}],
      ['ok', { quantity: 0 }],
      ['ok', { quantity: Number.NaN }],
      ['ok', { price: -1 }],
      ['ok', { price: Number.POSITIVE_INFINITY }],
    ] as const) {
      const r = book.replace(id, change);
      expect(r.accepted, `${id} ${JSON.stringify(change)}`).toBe(false);
      expect(r.reason).toBeTruthy();
    }
    expect(book.replace('ok', { quantity: 1 }, Number.NaN).accepted).toBe(false);
    expect(snapshot(book)).toEqual(before);
  });

  it('rejects a replace of an order that expires by the replace’s time', () => {
    const book = bookWith([sell(10, 1, { id: 'g', timeInForce: 'GTD', expiresAt: 4 })]);
    const r = book.replace('g', { quantity: 1 }, 4);
    expect(r.accepted).toBe(false);
    expect(r.removed.map((x) => x.reason)).toEqual(['expired']);
    expect(book.size).toBe(0);
  });
});

describe('OrderBook self-trade prevention', () => {
  const setup = (options?: OrderBookOptions) =>
    bookWith(
      [
        sell(10, 2, { id: 'other1', owner: 'b' }),
        sell(10, 3, { id: 'own', owner: 'a' }),
        sell(10, 4, { id: 'other2', owner: 'b' }),
      ],
      options,
    );

  it('by default cancels the resting order and goes on matching', () => {
    const book = setup();
    expect(book.selfTrade).toBe('cancel-resting');
    const r = book.submit(buy(10, 5, { id: 'in', owner: 'a' }));
    expect(tradeIds(r)).toEqual(['in/other1', 'in/other2']);
    expect(r.removed).toEqual([
      { order: expect.objectContaining({ id: 'own', quantity: 3 }), reason: 'self-trade' },
    ]);
    expect(r).toMatchObject({ restingQuantity: 0, cancelledQuantity: 0 });
    expect(book.get('own')).toBeUndefined();
    expect(book.depth('sell')).toEqual([{ price: 10, quantity: 1 }]);
  });

  it('cancel-incoming drops the incoming rest and keeps the resting order', () => {
    const book = setup({ selfTrade: 'cancel-incoming' });
    const r = book.submit(buy(10, 5, { id: 'in', owner: 'a' }));
    expect(tradeIds(r)).toEqual(['in/other1']);
    expect(r).toMatchObject({ restingQuantity: 0, cancelledQuantity: 3, removed: [] });
    expect(book.get('own')?.quantity).toBe(3);
    expect(book.bestBid()).toBeUndefined();
  });

  it('cancel-both drops both', () => {
    const book = setup({ selfTrade: 'cancel-both' });
    const r = book.submit(buy(10, 5, { id: 'in', owner: 'a' }));
    expect(tradeIds(r)).toEqual(['in/other1']);
    expect(r).toMatchObject({ restingQuantity: 0, cancelledQuantity: 3 });
    expect(r.removed.map((x) => x.order.id)).toEqual(['own']);
    expect(book.depth('sell')).toEqual([{ price: 10, quantity: 4 }]);
  });

  it('never matches orders without an owner against each other', () => {
    const book = bookWith([sell(10, 1, { id: 's' })]);
    expect(tradeIds(book.submit(buy(10, 1, { id: 'b' })))).toEqual(['b/s']);
    const book2 = bookWith([sell(10, 1, { id: 's', owner: 'a' })]);
    expect(tradeIds(book2.submit(buy(10, 1, { id: 'b' })))).toEqual(['b/s']);
  });

  it('applies to a replace that crosses', () => {
    const book = bookWith([buy(10, 1, { id: 'bid', owner: 'a' }), sell(12, 1, { id: 'ask', owner: 'a' })]);
    const r = book.replace('ask', { price: 10 });
    expect(r.trades).toEqual([]);
    expect(r.removed.map((x) => x.order.id)).toEqual(['bid']);
    expect(book.bestAsk()).toBe(10);
  });

  it('rejects an unknown policy', () => {
    expect(() => new OrderBook({ selfTrade: 'cancel-oldest' as never })).toThrow(InvalidValueError);
  });
});

describe('OrderBook rejections', () => {
  const bad: [string, unknown][] = [
    ['null', null],
    ['no id', { side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTC' }],
    ['empty id', { id: '', side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTC' }],
    ['duplicate id', { id: 'rest', side: 'sell', type: 'limit', price: 20, quantity: 1, timeInForce: 'GTC' }],
    ['bad side', { id: 'n', side: 'bid', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTC' }],
    ['bad type', { id: 'n', side: 'buy', type: 'stop', price: 1, quantity: 1, timeInForce: 'GTC' }],
    ['zero quantity', { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: 0, timeInForce: 'GTC' }],
    [
      'negative quantity',
      { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: -1, timeInForce: 'GTC' },
    ],
    [
      'NaN quantity',
      { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: Number.NaN, timeInForce: 'GTC' },
    ],
    [
      'infinite quantity',
      { id: 'n', side: 'sell', type: 'limit', price: 1, quantity: 1 / 0, timeInForce: 'GTC' },
    ],
    [
      'string quantity',
      { id: 'n', side: 'sell', type: 'limit', price: 1, quantity: '1', timeInForce: 'GTC' },
    ],
    ['limit without price', { id: 'n', side: 'buy', type: 'limit', quantity: 1, timeInForce: 'GTC' }],
    [
      'NaN price',
      { id: 'n', side: 'buy', type: 'limit', price: Number.NaN, quantity: 1, timeInForce: 'GTC' },
    ],
    ['negative price', { id: 'n', side: 'buy', type: 'limit', price: -1, quantity: 1, timeInForce: 'GTC' }],
    [
      'market with price',
      { id: 'n', side: 'buy', type: 'market', price: 1, quantity: 1, timeInForce: 'GTC' },
    ],
    ['bad tif', { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'DAY' }],
    [
      'GTD without expiry',
      { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTD' },
    ],
    [
      'expired GTD',
      {
        id: 'n',
        side: 'buy',
        type: 'limit',
        price: 1,
        quantity: 1,
        timeInForce: 'GTD',
        time: 3,
        expiresAt: 2,
      },
    ],
    [
      'NaN time',
      { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTC', time: Number.NaN },
    ],
    [
      'empty owner',
      { id: 'n', side: 'buy', type: 'limit', price: 1, quantity: 1, timeInForce: 'GTC', owner: '' },
    ],
  ];

  it.each(bad)('rejects %s and leaves the book unchanged', (_, raw) => {
    const book = bookWith([
      buy(9, 1, { id: 'rest' }),
      sell(11, 2, { id: 'ask', timeInForce: 'GTD', expiresAt: 1 }),
      buy(8, 3),
    ]);
    const before = snapshot(book);
    const r = book.submit(raw as TradeOrder, 0);
    expect(r.accepted).toBe(false);
    expect(r.reason).toBeTruthy();
    expect(r).toMatchObject({ trades: [], restingQuantity: 0, cancelledQuantity: 0, removed: [] });
    expect(snapshot(book)).toEqual(before);
  });

  it('rejects a non-finite now, and reports the id of a rejected order', () => {
    const book = new OrderBook();
    const r = book.submit(buy(10, 1, { id: 'late' }), Number.NaN);
    expect(r).toMatchObject({ id: 'late', accepted: false });
    expect(book.size).toBe(0);
  });

  it('accepts an id again once its order has left the book', () => {
    const book = bookWith([buy(10, 1, { id: 'again' })]);
    book.submit(sell(10, 1));
    expect(book.submit(buy(10, 1, { id: 'again' })).accepted).toBe(true);
  });

  it('fills the schema defaults for type and time in force', () => {
    const book = new OrderBook();
    const r = book.submit({ id: 'plain', side: 'buy', price: 10, quantity: 1 } as TradeOrder);
    expect(r).toMatchObject({ accepted: true, restingQuantity: 1 });
  });
});

describe('OrderBook housekeeping under churn', () => {
  it('drops emptied levels from best price and depth across purges of the level heap', () => {
    const book = new OrderBook();
    let id = 0;
    for (let round = 0; round < 50; round++) {
      const ids: string[] = [];
      for (let p = 0; p < 200; p++) {
        const oid = `c${id++}`;
        ids.push(oid);
        const price = 100 + round * 100 + (p % 100);
        book.submit({ id: oid, side: 'sell', type: 'limit', price, quantity: 1, timeInForce: 'GTC' });
      }
      for (const oid of ids.slice(0, 199)) book.cancel(oid);
    }
    const survivors = Array.from({ length: 50 }, (_, r) => 199 + r * 100);
    expect(book.size).toBe(50);
    expect(book.bestAsk()).toBe(199);
    expect(book.depth('sell')).toEqual(survivors.map((price) => ({ price, quantity: 1 })));
    const r = book.submit(buy(undefined, 60, { id: 'sweep' }));
    expect(r.trades.map((t) => t.price)).toEqual(survivors);
    expect(r.trades.map((t) => t.sellOrderId)).toEqual(
      Array.from({ length: 50 }, (_, i) => `c${200 * i + 199}`),
    );
    expect(book.bestAsk()).toBeUndefined();
  });

  it('expires the right orders after many cancelled GTD orders were purged from the expiry heap', () => {
    const book = new OrderBook();
    for (let i = 0; i < 500; i++) {
      book.submit(buy(10, 1, { id: `g${i}`, timeInForce: 'GTD', expiresAt: 1000 - i }));
      if (i % 10 !== 0) book.cancel(`g${i}`);
    }
    expect(book.size).toBe(50);
    const due = book.expire(900);
    const expected = Array.from({ length: 50 }, (_, k) => 10 * k)
      .filter((i) => 1000 - i <= 900)
      .sort((a, b) => b - a);
    expect(due.map((o) => o.id)).toEqual(expected.map((i) => `g${i}`));
    expect(book.size).toBe(50 - expected.length);
    expect(book.expire(1000)).toHaveLength(50 - expected.length);
  });
});

describe('grid feasibility hook', () => {
  // the feeder cannot carry energy from bus a to bus z
  const grid: OrderBookOptions = {
    refuse: (b, s) => (s.bus === 'a' && b.bus === 'z' ? 'line a–z at its limit' : undefined),
  };

  it('stops a match the grid refuses: the resting order keeps its place, the incoming one rests', () => {
    const far = sell(10, 5, { bus: 'a' });
    const near = sell(11, 5, { bus: 'y' });
    const book = bookWith([far, near], grid);
    const incoming = buy(12, 3, { bus: 'z' });
    const r = book.submit(incoming);
    expect(r.trades).toEqual([]);
    expect(r.refused).toBe('line a–z at its limit');
    expect(r.restingQuantity).toBe(3);
    expect(book.get(far.id)?.quantity).toBe(5);
    // a buyer the grid lets through trades as usual
    expect(tradeIds(book.submit(buy(12, 2, { bus: 'y' })))).toEqual([`x${counter - 1}/${far.id}`]);
  });

  it('kills a fill-or-kill the grid would cut short, and cancels an IOC remainder', () => {
    const book = bookWith([sell(10, 5, { bus: 'y' }), sell(10, 5, { bus: 'a' })], grid);
    const before = snapshot(book);
    const fok = book.submit(buy(10, 8, { bus: 'z', timeInForce: 'FOK' }));
    expect(fok.trades).toEqual([]);
    expect(fok.cancelledQuantity).toBe(8);
    expect(snapshot(book)).toEqual(before);
    const ioc = book.submit(buy(10, 8, { bus: 'z', timeInForce: 'IOC' }));
    expect(ioc.trades.map((t) => t.quantity)).toEqual([5]);
    expect(ioc.cancelledQuantity).toBe(3);
    expect(ioc.refused).toBe('line a–z at its limit');
  });
});
