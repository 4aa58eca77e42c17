import { BinaryHeap } from '../../collections/index.js';
import { InvalidValueError } from '../../errors/index.js';
import type { Trade, TradeOrder } from '../orders/index.js';
import { BookSide } from './book-side.js';
import { RestingEntry } from './level.js';
import {
  type DepthLevel,
  type OrderBookOptions,
  type OrderChange,
  type RemovalReason,
  type RemovedOrder,
  type SelfTradePolicy,
  type SubmitResult,
  selfTradePolicies,
} from './types.js';
import { changeProblem, idOf, orderProblem, timeProblem } from './validate.js';

// Shared empties keep calls that trade nothing free of allocation; frozen so no caller can fill them.
const NO_TRADES = Object.freeze([]) as readonly Trade[];
const NO_REMOVALS = Object.freeze([]) as readonly RemovedOrder[];

/** Dead expiry entries tolerated beyond the live orders before the expiry heap is purged. */
const EXPIRY_SLACK = 64;

function snapshotOf(entry: RestingEntry): TradeOrder {
  return { ...entry.order, id: entry.id, price: entry.price, quantity: entry.open };
}

function rejection(id: string, reason: string, removed: readonly RemovedOrder[]): SubmitResult {
  return {
    id,
    accepted: false,
    reason,
    trades: NO_TRADES,
    restingQuantity: 0,
    cancelledQuantity: 0,
    removed,
  };
}

/**
 * A continuous double auction: limit and market orders matched on price-time priority, each trade
 * at the resting order's price. Priority in time is arrival order (the order's `time` field
 * does not reorder the queue: what has already matched cannot be undone).
 *
 * Time is the caller's: `submit`, `replace` and `expire` take `now` (for `submit`, the order's
 * `time` when `now` is omitted). GTD orders due by that time leave the book before the call
 * acts, so an expired order never trades; without a time, nothing expires.
 */
export class OrderBook {
  readonly selfTrade: SelfTradePolicy;
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private readonly byId = new Map<string, RestingEntry>();
  private readonly expiries = new BinaryHeap<RestingEntry>(
    (a, b) => a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.seq < b.seq),
  );
  private seq = 0;
  // what the call in progress has done, gathered here so matching needs no context object
  private trades = NO_TRADES as Trade[];
  private removed = NO_REMOVALS as RemovedOrder[];
  private incomingCancelled = false;
  private refusal: string | undefined;
  private readonly refuse: OrderBookOptions['refuse'];

  constructor(options: OrderBookOptions = {}) {
    this.refuse = options.refuse;
    const policy = options.selfTrade ?? 'cancel-resting';
    if (!selfTradePolicies.includes(policy))
      throw new InvalidValueError(`selfTrade: '${policy}' is not one of ${selfTradePolicies.join(', ')}`);
    this.selfTrade = policy;
  }

  /** Orders resting in the book. */
  get size(): number {
    return this.byId.size;
  }

  bestBid(): number | undefined {
    return this.bids.best()?.price;
  }

  bestAsk(): number | undefined {
    return this.asks.best()?.price;
  }

  /** The best `levels` price levels of one side (all by default), best first. */
  depth(side: 'buy' | 'sell', levels = Number.POSITIVE_INFINITY): DepthLevel[] {
    if (!(levels >= 0 && (Number.isInteger(levels) || levels === Number.POSITIVE_INFINITY)))
      throw new InvalidValueError(`depth: levels must be a whole number of at least zero, not ${levels}`);
    const out: DepthLevel[] = [];
    if (levels === 0) return out;
    (side === 'buy' ? this.bids : this.asks).visitLevels((level) => {
      out.push({ price: level.price, quantity: level.quantity });
      return out.length < levels;
    });
    return out;
  }

  /** A resting order as it stands: its current price, and `quantity` its open quantity. */
  get(id: string): TradeOrder | undefined {
    const entry = this.byId.get(id);
    return entry && snapshotOf(entry);
  }

  /**
   * Matches an order against the book and rests what its type and time in force allow. A bad
   * order (or a duplicate of a resting id) is rejected with the book untouched. `id` is the id
   * the order trades and rests under when it is not the order's own (a venue's id for a
   * participant's order): the book then keeps the order as given rather than a copy with the
   * id, which a server holding hundreds of thousands of resting orders cannot afford.
   */
  submit(order: TradeOrder, now?: number, id?: string): SubmitResult {
    const time = now ?? (order as { time?: number } | null)?.time;
    const orderId = id ?? idOf(order);
    const problem =
      timeProblem(now) ??
      orderProblem(order, now) ??
      (this.byId.has(orderId) ? 'id: an order with this id is resting in the book' : undefined);
    if (problem !== undefined) return rejection(orderId, problem, NO_REMOVALS);
    this.begin(time);
    const isBuy = order.side === 'buy';
    const isMarket = order.type === 'market';
    // a market order's limit is the far end of the book, so one comparison serves both types
    const limit = isMarket ? (isBuy ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY) : order.price! + 0;
    const tif = order.timeInForce ?? 'GTC';
    let left = order.quantity;
    if (tif !== 'FOK' || this.canFillAll(order, isBuy, order.owner, limit, left))
      left = this.walk(orderId, order, isBuy, order.owner, limit, left);
    const rests = left > 0 && !this.incomingCancelled && !isMarket && (tif === 'GTC' || tif === 'GTD');
    if (rests)
      this.rest(orderId, order, limit, left, tif === 'GTD' ? order.expiresAt! : Number.POSITIVE_INFINITY);
    return this.finish(orderId, rests ? left : 0, rests ? 0 : left);
  }

  /**
   * Changes a resting order's price and/or open quantity. Lowering the quantity at the same
   * price keeps its place in time; any other change sends it to the back of its new level as
   * if it had just arrived, where it may trade at once (self-trade prevention applies). An
   * unknown, filled or cancelled id is rejected.
   */
  replace(id: string, change: OrderChange, now?: number): SubmitResult {
    const problem =
      timeProblem(now) ??
      changeProblem(change) ??
      (this.byId.has(id) ? undefined : 'id: no order with this id is resting in the book');
    if (problem !== undefined) return rejection(id, problem, NO_REMOVALS);
    this.begin(now);
    const entry = this.byId.get(id);
    if (entry === undefined) {
      const removed = this.removed;
      this.finish(id, 0, 0);
      return rejection(id, `id: the order expired by ${now}`, removed);
    }
    const price = change.price === undefined ? entry.price : change.price + 0;
    const quantity = change.quantity ?? entry.open;
    if (price === entry.price && quantity <= entry.open) {
      entry.level.reduce(entry, quantity);
      return this.finish(id, quantity, 0);
    }
    const isBuy = entry.order.side === 'buy';
    this.sideOf(entry).remove(entry);
    this.byId.delete(id);
    const left = this.walk(id, entry.order, isBuy, entry.owner, price, quantity);
    const rests = left > 0 && !this.incomingCancelled;
    if (rests) this.rest(id, entry.order, price, left, entry.expiresAt);
    return this.finish(id, rests ? left : 0, rests ? 0 : left);
  }

  /** Cancels a resting order; returns its open quantity, 0 when no such order rests. */
  cancel(id: string): number {
    const entry = this.byId.get(id);
    if (entry === undefined) return 0;
    const open = entry.open;
    this.sideOf(entry).remove(entry);
    this.byId.delete(id);
    return open;
  }

  /** Removes the GTD orders with `expiresAt <= now`, earliest first, as they stood. */
  expire(now: number): TradeOrder[] {
    if (!Number.isFinite(now)) throw new InvalidValueError(`expire: now must be a finite number, not ${now}`);
    return this.takeDue(now) ?? [];
  }

  /** Gate closure: cancels every resting order and returns them as they stood, in arrival order. */
  closeGate(): TradeOrder[] {
    const out: TradeOrder[] = [];
    for (const entry of this.byId.values()) {
      out.push(snapshotOf(entry));
      entry.open = 0;
    }
    this.byId.clear();
    this.bids.clear();
    this.asks.clear();
    this.expiries.clear();
    return out;
  }

  private begin(time: number | undefined): void {
    this.trades = NO_TRADES as Trade[];
    this.removed = NO_REMOVALS as RemovedOrder[];
    this.incomingCancelled = false;
    this.refusal = undefined;
    if (time === undefined) return;
    const due = this.takeDue(time);
    if (due !== undefined) for (const order of due) this.noteRemoved(order, 'expired');
  }

  private finish(id: string, restingQuantity: number, cancelledQuantity: number): SubmitResult {
    const result: SubmitResult = {
      id,
      accepted: true,
      reason: undefined,
      trades: this.trades,
      restingQuantity,
      cancelledQuantity,
      removed: this.removed,
      ...(this.refusal === undefined ? {} : { refused: this.refusal }),
    };
    this.trades = NO_TRADES as Trade[];
    this.removed = NO_REMOVALS as RemovedOrder[];
    return result;
  }

  /**
   * Trades an incoming order against the opposite side, best level first and each level in
   * time order, until it is filled, the book no longer reaches its limit, or self-trade
   * prevention stops it. Returns the quantity left.
   */
  private walk(
    id: string,
    incoming: TradeOrder,
    isBuy: boolean,
    owner: string | undefined,
    limit: number,
    quantity: number,
  ): number {
    const book = isBuy ? this.asks : this.bids;
    let left = quantity;
    while (left > 0) {
      const level = book.best();
      if (level === undefined || !book.reaches(level.price, limit)) break;
      const maker = level.front()!;
      if (owner !== undefined && maker.owner === owner) {
        if (this.selfTrade !== 'cancel-incoming') this.noteRemoved(this.takeOff(maker), 'self-trade');
        if (this.selfTrade === 'cancel-resting') continue;
        this.incomingCancelled = true;
        break;
      }
      const traded = left < maker.open ? left : maker.open;
      if (this.refuse) {
        const why = this.refuse(
          isBuy ? incoming : maker.order,
          isBuy ? maker.order : incoming,
          level.price,
          traded,
        );
        if (why !== undefined) {
          this.refusal = why;
          break;
        }
      }
      left -= traded;
      this.noteTrade(isBuy ? id : maker.id, isBuy ? maker.id : id, level.price, traded);
      book.fillFront(maker, traded);
      if (maker.open === 0) this.byId.delete(maker.id);
    }
    return left;
  }

  /**
   * Whether `walk` would fill all of `quantity`: the same walk over the same entries with the
   * same subtractions, so the answer agrees with the execution to the last bit, but touching
   * nothing.
   */
  private canFillAll(
    incoming: TradeOrder,
    isBuy: boolean,
    owner: string | undefined,
    limit: number,
    quantity: number,
  ): boolean {
    const book = isBuy ? this.asks : this.bids;
    const skipsOwn = this.selfTrade === 'cancel-resting';
    let left = quantity;
    book.visitLevels(
      (level) =>
        book.reaches(level.price, limit) &&
        level.everyLive((entry) => {
          if (owner !== undefined && entry.owner === owner) return skipsOwn;
          const traded = left < entry.open ? left : entry.open;
          if (
            this.refuse?.(
              isBuy ? incoming : entry.order,
              isBuy ? entry.order : incoming,
              level.price,
              traded,
            ) !== undefined
          )
            return false;
          left -= traded;
          return left > 0;
        }),
    );
    return left === 0;
  }

  private rest(id: string, order: TradeOrder, price: number, open: number, expiresAt: number): void {
    const side = order.side === 'buy' ? this.bids : this.asks;
    const entry = new RestingEntry(
      id,
      order,
      price,
      open,
      order.owner,
      expiresAt,
      this.seq++,
      side.levelAt(price),
    );
    side.push(entry);
    this.byId.set(id, entry);
    if (expiresAt === Number.POSITIVE_INFINITY) return;
    if (this.expiries.size >= 2 * this.byId.size + EXPIRY_SLACK) this.expiries.retain((e) => e.open > 0);
    this.expiries.push(entry);
  }

  /** Takes the GTD orders due by `time` off the book; undefined when none is due. */
  private takeDue(time: number): TradeOrder[] | undefined {
    let due: TradeOrder[] | undefined;
    let top = this.expiries.peek();
    while (top !== undefined && top.expiresAt <= time) {
      this.expiries.pop();
      if (top.open > 0) (due ??= []).push(this.takeOff(top));
      top = this.expiries.peek();
    }
    return due;
  }

  private takeOff(entry: RestingEntry): TradeOrder {
    const snapshot = snapshotOf(entry);
    this.sideOf(entry).remove(entry);
    this.byId.delete(entry.id);
    return snapshot;
  }

  private sideOf(entry: RestingEntry): BookSide {
    return entry.order.side === 'buy' ? this.bids : this.asks;
  }

  private noteTrade(buyOrderId: string, sellOrderId: string, price: number, quantity: number): void {
    if (this.trades === NO_TRADES) this.trades = [];
    this.trades.push({ buyOrderId, sellOrderId, price, quantity });
  }

  private noteRemoved(order: TradeOrder, reason: RemovalReason): void {
    if (this.removed === NO_REMOVALS) this.removed = [];
    this.removed.push({ order, reason });
  }
}
