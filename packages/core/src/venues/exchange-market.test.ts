import { describe, expect, it } from 'vitest';
import type { OrderTicket, Session } from '../engine/index.js';
import { clearSubstation, type TradeOrder } from '../market/index.js';
import { PRODUCTS } from '../time/index.js';
import { ExchangeMarket, type FeederCurveMessage } from './exchange-market.js';
import { SubstationPrices } from './substation-prices.js';

const T0 = Date.parse('2026-07-15T12:00:00Z');
const session: Session = {
  id: `exchange@${T0}`,
  market: 'exchange',
  state: 'closed',
  deliveryStartMs: T0,
  deliveryEndMs: T0 + 300_000,
  openMs: T0 - 600_000,
  gateMs: T0 - 300_000,
};

const ticket = (orderId: string, participant: string, side: 'buy' | 'sell', kwh: number, price: number) =>
  ({
    orderId,
    clientOrderId: orderId,
    participant,
    market: 'exchange',
    session: session.id,
    seq: 1,
    t: 0,
    order: { id: orderId, side, quantity: kwh, price, type: 'limit', timeInForce: 'GTC' },
  }) as OrderTicket<TradeOrder>;

describe('a feeder’s exchange market', () => {
  it('sends the curve its orders make and clears at the substation’s price with the exchanged quantity', async () => {
    const sent: FeederCurveMessage[] = [];
    const market = new ExchangeMarket({
      id: 'exchange',
      feeder: 'f1',
      product: PRODUCTS.ahead5,
      port: {
        exchange: async (c) => {
          sent.push(c);
          // the other feeder exports 100 kW of PV at 0.03; the transformer takes 100 kW at 0.08
          return clearSubstation({
            steps: [
              ...c.steps.map((s) => ({ ...s, id: `f1/${s.id}`, feeder: 'f1' })),
              { id: 'f2/sell@0.03', feeder: 'f2', side: 'sell', kw: 100, usdPerKwh: 0.03 },
            ],
            isoUsdPerKwh: 0.08,
            transformerKw: 100,
            intervalH: 1 / 12,
          });
        },
      },
    });
    // 5 minutes: 20 kWh is 240 kW
    const live = [
      ticket('a', 'ev', 'buy', 20, 0.2),
      ticket('b', 'heat', 'buy', 10, 0.15),
      ticket('c', 'pv', 'sell', 5, 0.01),
    ];
    const out = await market.clear(session, live);
    expect(sent).toEqual([
      {
        feeder: 'f1',
        intervalStartMs: T0,
        steps: [
          { id: 'buy@0.2', side: 'buy', kw: 240, usdPerKwh: 0.2 },
          { id: 'buy@0.15', side: 'buy', kw: 120, usdPerKwh: 0.15 },
          { id: 'sell@0.01', side: 'sell', kw: 60, usdPerKwh: 0.01 },
        ],
      },
    ]);
    // demand 360 kW against 60 local + 100 from f2 + 100 through the transformer: the 0.15 bid is
    // marginal and gets the 20 kW the 0.2 bid leaves; f1 imports 240 + 20 − 60 = 200 kW
    expect(out.result).toMatchObject({ clearingPriceUsdPerKwh: 0.15, binding: 'import', isoImportKw: 100 });
    expect(out.result.substationImportKw).toBeCloseTo(200, 9);
    const byOrder = new Map(out.fills.map((f) => [f.orderId, f]));
    expect(byOrder.get('a')!.kwh).toBeCloseTo(-20, 9);
    expect(byOrder.get('c')).toMatchObject({ kwh: 5, usdPerKwh: 0.15 });
    expect(byOrder.get('b')!.kwh).toBeCloseTo(-20 / 12, 9);
    const money = out.fills.reduce((a, f) => a + f.usd, 0) + out.lines.reduce((a, l) => a + l.usd, 0);
    expect(money).toBeCloseTo(0, 12);
    expect(out.lines[0]).toMatchObject({ account: 'substation' });
    expect(out.lines[0].kwh).toBeCloseTo(200 / 12, 9);
  });

  it('records the substation’s price for the feeder’s LEM, and says when its curve missed the gate', async () => {
    const prices = new SubstationPrices();
    const market = new ExchangeMarket({
      id: 'exchange',
      feeder: 'f1',
      product: PRODUCTS.ahead5,
      prices,
      // the substation stopped waiting for f1's curve: f2 alone exchanged with the ISO
      port: {
        exchange: async () => ({
          ...clearSubstation({
            steps: [{ id: 'f2/buy@0.2', feeder: 'f2', side: 'buy', kw: 150, usdPerKwh: 0.2 }],
            isoUsdPerKwh: 0.08,
            transformerKw: 100,
            intervalH: 1 / 12,
          }),
          missing: ['f1'],
        }),
      },
    });
    const out = await market.clear(session, [ticket('a', 'ev', 'buy', 20, 0.3)]);
    expect(out.result).toMatchObject({
      clearingPriceUsdPerKwh: 0.2,
      curveMissedGate: true,
      binding: 'import',
    });
    expect(out.fills[0]).toMatchObject({ kwh: 0, usd: 0 });
    expect(out.lines).toEqual([]);
    expect(prices.at(T0, T0 + 300_000)).toEqual({
      intervalStartMs: T0,
      intervalEndMs: T0 + 300_000,
      usdPerKwh: 0.2,
      binding: 'import',
    });
  });
});
