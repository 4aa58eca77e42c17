import type {
  ClearingOutcome,
  Fill,
  MarketService,
  OrderTicket,
  Session,
  Validation,
} from '../engine/index.js';
import {
  type ExchangeResult,
  type FeederOrder,
  type FeederStep,
  feederCurve,
  orderAcceptance,
  type TradeOrder,
} from '../market/index.js';
import { MS_PER_HOUR, type Product, sessionsOfDay } from '../time/index.js';
import type { SubstationPrices } from './substation-prices.js';
import { type PriceLimits, validateTradeOrder } from './trade-orders.js';

/** A feeder's curve for one interval, as it goes to its substation. */
export interface FeederCurveMessage {
  feeder: string;
  intervalStartMs: number;
  steps: FeederStep[];
}

/**
 * An interval's clearing as the substation recorded it: `missing` names the feeders whose curve
 * had not come when the substation stopped waiting (they exchanged nothing in it).
 */
export interface SubstationClearingResult extends ExchangeResult {
  missing?: readonly string[];
}

/**
 * The way to a feeder's substation coordinator: sends the feeder's curve for an interval and
 * resolves with the substation's clearing of that interval. The clearing is the same however
 * often it is asked (a restarted feeder replays its log and asks again), so the market's result
 * is a function of the log and the substation's record.
 */
export interface SubstationPort {
  exchange(curve: FeederCurveMessage): Promise<SubstationClearingResult>;
}

export interface ExchangeMarketConfig extends PriceLimits {
  id: string;
  /** the feeder this market belongs to, as the substation knows it */
  feeder: string;
  product: Product;
  port: SubstationPort;
  /**
   * where each interval's substation price is kept for the feeder's other markets: its nodal LEM
   * takes it as the price at its source bus (LemMarket.followSubstation)
   */
  prices?: SubstationPrices;
}

/**
 * A feeder's LEM-to-LEM exchange market (Papalexopoulos §V): the feeder's participants bid and
 * offer for an interval; at the gate the feeder's import/export curve is made from their orders
 * (`feederCurve`) and sent to the substation, which clears every feeder's curve against the
 * others and the ISO under the transformer's limit. The feeder clears at the substation's price:
 * each order gets its share of what the substation accepted of its price level, local buyers and
 * sellers trade with each other at that price, and the feeder's net import is bought from (or its
 * net export sold to) the `substation` account at it. A feeder whose curve reached the substation
 * after it had stopped waiting exchanged nothing: its orders get nothing and its result says so.
 * Each interval's price is recorded in `prices`, where given, for the feeder's nodal LEM.
 */
export class ExchangeMarket implements MarketService<TradeOrder> {
  readonly id: string;
  readonly kind = 'exchange';
  readonly product: Product;

  constructor(private readonly config: ExchangeMarketConfig) {
    this.id = config.id;
    this.product = config.product;
  }

  sessionsOfDay(dayStartMs: number) {
    return sessionsOfDay(this.product, dayStartMs);
  }

  validate(raw: unknown, participant: string): Validation<TradeOrder> {
    return validateTradeOrder(raw, participant, { ...this.config, call: true });
  }

  async clear(session: Session, live: readonly OrderTicket<TradeOrder>[]): Promise<ClearingOutcome> {
    const h = (session.deliveryEndMs - session.deliveryStartMs) / MS_PER_HOUR;
    const feeder = this.config.feeder;
    const orders: FeederOrder[] = live.map((t) => ({
      id: t.orderId,
      side: t.order.side,
      kw: t.order.quantity / h,
      usdPerKwh: t.order.price!,
    }));
    const r = await this.config.port.exchange({
      feeder,
      intervalStartMs: session.deliveryStartMs,
      steps: feederCurve(orders),
    });
    this.config.prices?.record({
      intervalStartMs: session.deliveryStartMs,
      intervalEndMs: session.deliveryEndMs,
      usdPerKwh: r.usdPerKwh,
      binding: r.binding,
    });
    // the coordinator names a step feeder/step
    const mine = r.fills
      .filter((f) => f.feeder === feeder)
      .map((f) => ({ id: f.id.slice(feeder.length + 1), kw: f.kw }));
    const accepted = orderAcceptance(orders, mine);
    const price = r.usdPerKwh;
    const fills: Fill[] = live.map((t) => {
      // + 0: an order that got nothing has 0 kWh, not −0
      const kwh = accepted.get(t.orderId)! * h * (t.order.side === 'sell' ? 1 : -1) + 0;
      return {
        orderId: t.orderId,
        participant: t.participant,
        kwh,
        usd: kwh * price,
        ...(kwh !== 0 ? { usdPerKwh: price } : {}),
      };
    });
    const netSoldKwh = fills.reduce((a, f) => a + f.kwh, 0);
    const total = (side: 'buy' | 'sell') =>
      live.filter((t) => t.order.side === side).reduce((a, t) => a + t.order.quantity, 0);
    return {
      result: {
        mechanism: 'substation',
        clearingPriceUsdPerKwh: price,
        /** the feeder's net import from the substation, kW (negative: export) */
        substationImportKw: -netSoldKwh / h,
        /** the substation's import from the ISO and which transformer limit binds */
        isoImportKw: r.isoImportKw,
        binding: r.binding,
        ...(r.missing?.includes(feeder) ? { curveMissedGate: true } : {}),
        volumeKwh: fills.reduce((a, f) => a + Math.max(0, -f.kwh), 0),
        orders: live.length,
        bidKwh: total('buy'),
        offeredKwh: total('sell'),
      },
      fills,
      lines:
        netSoldKwh === 0
          ? []
          : [
              {
                account: 'substation',
                what: 'exchange with the other feeders and the ISO',
                kwh: -netSoldKwh,
                usd: -netSoldKwh * price,
              },
            ],
    };
  }
}
