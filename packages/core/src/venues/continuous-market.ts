import type {
  ClearingOutcome,
  Fill,
  MarketService,
  Matched,
  MoneyLine,
  OrderTicket,
  Session,
  Validation,
} from '../engine/index.js';
import { OrderBook, type SubmitResult, type TradeOrder } from '../market/index.js';
import { type Product, sessionsOfDay } from '../time/index.js';
import { type PriceLimits, validateTradeOrder } from './trade-orders.js';

export interface ContinuousMarketConfig extends PriceLimits {
  id: string;
  kind?: string;
  product: Product;
  /** the DSO's charge on every kWh bought, $/kWh */
  networkChargeUsdPerKwh?: number;
}

interface SessionBook {
  book: OrderBook;
  /** the participant of each order resting in the book */
  owners: Map<string, string>;
  volumeKwh: number;
  trades: number;
  lastUsdPerKwh: number | null;
}

/**
 * The continuous intraday market: one order book per delivery hour, trading whenever an order
 * crosses (price-time priority, partial fills, self-trade prevention, IOC/FOK/GTD); at the
 * hour's gate whatever still rests expires. Each trade's buyer pays the resting price plus the
 * DSO's network charge; the seller receives the resting price.
 */
export class ContinuousMarket implements MarketService<TradeOrder> {
  readonly id: string;
  readonly kind: string;
  readonly product: Product;
  private readonly books = new Map<string, SessionBook>();

  constructor(private readonly config: ContinuousMarketConfig) {
    this.id = config.id;
    this.kind = config.kind ?? 'continuous';
    this.product = config.product;
  }

  sessionsOfDay(dayStartMs: number) {
    return sessionsOfDay(this.product, dayStartMs);
  }

  validate(raw: unknown, participant: string): Validation<TradeOrder> {
    return validateTradeOrder(raw, participant, { ...this.config, call: false });
  }

  /** The book of a session, for depth and snapshots. */
  book(sessionId: string): OrderBook | undefined {
    return this.books.get(sessionId)?.book;
  }

  accept(session: Session, t: OrderTicket<TradeOrder>, now: number): Matched {
    const b = this.sessionBook(session.id);
    b.owners.set(t.orderId, t.participant);
    // the validated order already names its owner; it rests as it is, under the engine's id
    const r = b.book.submit(t.order, now, t.orderId);
    return this.matched(b, r, t.orderId);
  }

  cancel(session: Session, t: OrderTicket<TradeOrder>): void {
    const b = this.books.get(session.id);
    b?.book.cancel(t.orderId);
    b?.owners.delete(t.orderId);
  }

  replace(
    session: Session,
    _previous: OrderTicket<TradeOrder>,
    next: OrderTicket<TradeOrder>,
    now: number,
  ): Matched {
    const b = this.sessionBook(session.id);
    const r = b.book.replace(next.orderId, { price: next.order.price, quantity: next.order.quantity }, now);
    return this.matched(b, r, next.orderId);
  }

  clear(session: Session): ClearingOutcome {
    const b = this.books.get(session.id);
    const expired = b ? b.book.closeGate().length : 0;
    this.books.delete(session.id);
    return {
      result: {
        volumeKwh: b?.volumeKwh ?? 0,
        trades: b?.trades ?? 0,
        lastPriceUsdPerKwh: b?.lastUsdPerKwh ?? null,
        expired,
      },
      fills: [],
      lines: [],
    };
  }

  private sessionBook(id: string): SessionBook {
    let b = this.books.get(id);
    if (!b) {
      b = { book: new OrderBook(), owners: new Map(), volumeKwh: 0, trades: 0, lastUsdPerKwh: null };
      this.books.set(id, b);
    }
    return b;
  }

  private matched(b: SessionBook, r: SubmitResult, incoming: string): Matched {
    const charge = this.config.networkChargeUsdPerKwh ?? 0;
    const fills = new Map<string, Fill>();
    const fill = (orderId: string) => {
      let f = fills.get(orderId);
      if (!f) {
        f = { orderId, participant: b.owners.get(orderId)!, kwh: 0, usd: 0 };
        fills.set(orderId, f);
      }
      return f;
    };
    let chargesUsd = 0;
    for (const tr of r.trades) {
      const buy = fill(tr.buyOrderId);
      const sell = fill(tr.sellOrderId);
      buy.kwh -= tr.quantity;
      buy.usd -= (tr.price + charge) * tr.quantity;
      sell.kwh += tr.quantity;
      sell.usd += tr.price * tr.quantity;
      chargesUsd += charge * tr.quantity;
      b.volumeKwh += tr.quantity;
      b.trades++;
      b.lastUsdPerKwh = tr.price;
    }
    for (const f of fills.values()) f.usdPerKwh = Math.abs(f.usd / f.kwh);
    const lines: MoneyLine[] =
      chargesUsd > 0 ? [{ account: 'dso', what: 'network charges', kwh: 0, usd: chargesUsd }] : [];
    // orders that no longer rest: the incoming one unless it rests, the resting ones it filled, and removals
    const done = new Set<string>();
    if (!r.accepted || r.restingQuantity === 0) done.add(incoming);
    for (const id of fills.keys()) if (id !== incoming && b.book.get(id) === undefined) done.add(id);
    for (const rm of r.removed) done.add(rm.order.id);
    // owners are kept only while an order can still trade
    for (const id of done) b.owners.delete(id);
    return {
      fills: [...fills.values()],
      trades: r.trades.map((tr) => ({ usdPerKwh: tr.price, kwh: tr.quantity })),
      lines,
      done: [...done],
    };
  }
}
