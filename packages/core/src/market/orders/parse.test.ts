import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { parseOrders } from './parse.js';
import { DEFAULT_PRICE_CAP_USD_PER_MWH, DEFAULT_PRICE_FLOOR_USD_PER_MWH } from './schema.js';

const offer = (id: string, price: number) => ({
  type: 'offer',
  id,
  participant: 'p',
  bus: 'n1',
  steps: [
    { price: 20, quantityKw: 5 },
    { price, quantityKw: 5 },
  ],
});

describe('the market’s price band', () => {
  it('refuses orders quoting prices outside it by id and field, and keeps the rest', () => {
    const r = parseOrders({
      orders: [
        offer('ok', 100),
        offer('huge', 1e308),
        offer('neg', -1e9),
        { type: 'block', id: 'blk', participant: 'p', bus: 'n1', side: 'sell', price: 6000, profileKw: [1] },
        {
          type: 'generator',
          id: 'gen',
          participant: 'p',
          bus: 'n1',
          pMinKw: 0,
          pMaxKw: 10,
          minimumPrice: -600,
        },
      ],
    });
    expect(r.orders.map((o) => o.id)).toEqual(['ok']);
    expect(Object.fromEntries(r.rejected.map((x) => [x.id, x.reasons]))).toEqual({
      huge: [`steps.1.price: 1e+308 $/MWh is above the price cap of ${DEFAULT_PRICE_CAP_USD_PER_MWH} $/MWh`],
      neg: [
        `steps.1.price: -1000000000 $/MWh is below the price floor of ${DEFAULT_PRICE_FLOOR_USD_PER_MWH} $/MWh`,
      ],
      blk: [`price: 6000 $/MWh is above the price cap of ${DEFAULT_PRICE_CAP_USD_PER_MWH} $/MWh`],
      gen: [`minimumPrice: -600 $/MWh is below the price floor of ${DEFAULT_PRICE_FLOOR_USD_PER_MWH} $/MWh`],
    });
  });

  it('is a market setting: a document may raise it, and ISO prices outside it refuse the document', () => {
    const raised = parseOrders({ priceCapUsdPerMwh: 10_000, orders: [offer('a', 9000)] });
    expect(raised.orders).toHaveLength(1);
    expect(() => parseOrders({ isoPrices: [30, 1e308], orders: [] }, 'day.json')).toThrow(
      /day\.json: market settings: isoPrices\.1: 1e\+308 \$\/MWh is above the price cap/,
    );
    expect(() => parseOrders({ priceFloorUsdPerMwh: 10, priceCapUsdPerMwh: 5, orders: [] })).toThrow(
      /priceFloorUsdPerMwh: must be below priceCapUsdPerMwh/,
    );
    for (const bad of [null, [], 3, { orders: {} }])
      expect(() => parseOrders(bad, 'x.json')).toThrow(InvalidValueError);
  });
});
