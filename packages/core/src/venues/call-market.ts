import type {
  ClearingOutcome,
  Fill,
  MarketService,
  MoneyLine,
  OrderTicket,
  Session,
  Validation,
} from '../engine/index.js';
import {
  type CallResult,
  type LimitOrder,
  mda,
  meritOrder,
  payAsBid,
  type TradeOrder,
  uniformPrice,
} from '../market/index.js';
import { type Product, sessionsOfDay } from '../time/index.js';
import { type TradeOrderRules, validateTradeOrder } from './trade-orders.js';

export type CallMechanism = 'uniform' | 'pab' | 'mda' | 'merit';

export interface CallMarketConfig extends Omit<TradeOrderRules, 'call'> {
  id: string;
  /** what the market is for, as listings show it: layer1, ancillary, layer3 … */
  kind: string;
  product: Product;
  mechanism: CallMechanism;
  /** uniform price: where in the range of clearing prices the price is set */
  k?: number;
  /** the DSO's charge on every kWh bought, $/kWh */
  networkChargeUsdPerKwh?: number;
  /** who traded with whom: for the settlement operator, never published */
  onTrades?: (session: Session, trades: readonly PairedTrade[]) => void;
}

/** One match of a call market between two participants. */
export interface PairedTrade {
  seller: string;
  buyer: string;
  kwh: number;
  sellerUsdPerKwh: number;
}

/**
 * A call market (the hierarchy's Layer I microgrid markets, the ISO's 15-minute ancillary
 * market, Layer III VPP-to-VPP): orders collect until the gate and clear together by the
 * configured mechanism, priced by price, then time (the engine's sequence), then arrival.
 * Buyers pay their price plus the DSO's network charge, sellers receive theirs; what the MDA
 * keeps goes to the market operator.
 */
export class CallMarket implements MarketService<TradeOrder> {
  readonly id: string;
  readonly kind: string;
  readonly product: Product;

  constructor(private readonly config: CallMarketConfig) {
    this.id = config.id;
    this.kind = config.kind;
    this.product = config.product;
  }

  sessionsOfDay(dayStartMs: number) {
    return sessionsOfDay(this.product, dayStartMs);
  }

  validate(raw: unknown, participant: string): Validation<TradeOrder> {
    return validateTradeOrder(raw, participant, { ...this.config, call: true });
  }

  clear(session: Session, live: readonly OrderTicket<TradeOrder>[]): ClearingOutcome {
    const orders = live.map(
      (t) => ({ ...t.order, id: t.orderId, owner: t.participant, time: t.seq }) as LimitOrder,
    );
    const r = this.run(orders);
    const charge = this.config.networkChargeUsdPerKwh ?? 0;
    const fills = new Map<string, Fill>(
      live.map((t) => [t.orderId, { orderId: t.orderId, participant: t.participant, kwh: 0, usd: 0 }]),
    );
    let operatorUsd = 0;
    let chargesUsd = 0;
    for (const tr of r.trades) {
      const buyerPays = (tr.buyerPrice ?? tr.price) + charge;
      const sellerGets = tr.sellerPrice ?? tr.price;
      const b = fills.get(tr.buyOrderId)!;
      const s = fills.get(tr.sellOrderId)!;
      b.kwh -= tr.quantity;
      b.usd -= buyerPays * tr.quantity;
      s.kwh += tr.quantity;
      s.usd += sellerGets * tr.quantity;
      operatorUsd += (buyerPays - charge - sellerGets) * tr.quantity;
      chargesUsd += charge * tr.quantity;
    }
    for (const f of fills.values()) if (f.kwh !== 0) f.usdPerKwh = Math.abs(f.usd / f.kwh);
    if (this.config.onTrades && r.trades.length > 0) {
      const owner = new Map(live.map((t) => [t.orderId, t.participant]));
      this.config.onTrades(
        session,
        r.trades.map((tr) => ({
          seller: owner.get(tr.sellOrderId)!,
          buyer: owner.get(tr.buyOrderId)!,
          kwh: tr.quantity,
          sellerUsdPerKwh: tr.sellerPrice ?? tr.price,
        })),
      );
    }
    const lines: MoneyLine[] = [];
    if (operatorUsd !== 0)
      lines.push({ account: 'operator', what: 'auction surplus', kwh: 0, usd: operatorUsd });
    if (chargesUsd !== 0) lines.push({ account: 'dso', what: 'network charges', kwh: 0, usd: chargesUsd });
    const total = (side: 'buy' | 'sell') =>
      orders.filter((o) => o.side === side).reduce((a, o) => a + o.quantity, 0);
    return {
      result: {
        mechanism: r.mechanism,
        clearingPriceUsdPerKwh: r.clearingPrice,
        volumeKwh: r.volume,
        trades: r.trades.length,
        orders: orders.length,
        bidKwh: total('buy'),
        offeredKwh: total('sell'),
      },
      fills: [...fills.values()],
      lines,
      // the tape shows what the buyer's side traded at, before the network charge
      trades: r.trades.map((tr) => ({ usdPerKwh: tr.buyerPrice ?? tr.price, kwh: tr.quantity })),
    };
  }

  private run(orders: LimitOrder[]): CallResult {
    switch (this.config.mechanism) {
      case 'pab':
        return payAsBid(orders);
      case 'mda':
        return mda(orders);
      case 'merit':
        return meritOrder(orders);
      default:
        return uniformPrice(orders, this.config.k === undefined ? {} : { k: this.config.k });
    }
  }
}
