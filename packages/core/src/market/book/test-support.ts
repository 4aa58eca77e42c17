import type { Trade, TradeOrder } from '../orders/index.js';
import type {
  DepthLevel,
  OrderChange,
  RemovalReason,
  RemovedOrder,
  SelfTradePolicy,
  SubmitResult,
} from './types.js';
import { changeProblem, idOf, orderProblem, timeProblem } from './validate.js';

/** What the tests need of a book: the public API of `OrderBook`. */
export interface BookApi {
  readonly size: number;
  submit(order: TradeOrder, now?: number): SubmitResult;
  replace(id: string, change: OrderChange, now?: number): SubmitResult;
  cancel(id: string): number;
  expire(now: number): TradeOrder[];
  closeGate(): TradeOrder[];
  bestBid(): number | undefined;
  bestAsk(): number | undefined;
  depth(side: 'buy' | 'sell', levels?: number): DepthLevel[];
  get(id: string): TradeOrder | undefined;
}

interface Resting {
  order: TradeOrder;
  price: number;
  open: number;
  expiresAt: number;
  seq: number;
}

const snapshot = (r: Resting): TradeOrder => ({ ...r.order, price: r.price, quantity: r.open });

/**
 * The book's rules written as plainly as possible — a list of resting orders, sorted afresh for
 * every match, and a fill-or-kill tried and rolled back — to check the fast book against in
 * property tests. Quadratic; for small streams only.
 */
export class ReferenceBook implements BookApi {
  private resting: Resting[] = [];
  private seq = 0;
  private trades: Trade[] = [];
  private removed: RemovedOrder[] = [];
  private incomingCancelled = false;

  constructor(private readonly selfTrade: SelfTradePolicy = 'cancel-resting') {}

  get size(): number {
    return this.resting.length;
  }

  bestBid(): number | undefined {
    return this.depth('buy')[0]?.price;
  }

  bestAsk(): number | undefined {
    return this.depth('sell')[0]?.price;
  }

  depth(side: 'buy' | 'sell', levels = Number.POSITIVE_INFINITY): DepthLevel[] {
    const out: DepthLevel[] = [];
    for (const r of this.queue(side)) {
      const last = out[out.length - 1];
      if (last !== undefined && last.price === r.price) last.quantity += r.open;
      else out.push({ price: r.price, quantity: r.open });
    }
    return out.slice(0, levels);
  }

  get(id: string): TradeOrder | undefined {
    const r = this.find(id);
    return r && snapshot(r);
  }

  submit(order: TradeOrder, now?: number): SubmitResult {
    const time = now ?? order?.time;
    const problem =
      timeProblem(now) ??
      orderProblem(order, now) ??
      (this.find(order.id) ? 'id: an order with this id is resting in the book' : undefined);
    if (problem !== undefined) return this.rejected(idOf(order), problem);
    this.begin(time);
    const isBuy = order.side === 'buy';
    const isMarket = order.type === 'market';
    const limit = isMarket ? (isBuy ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY) : order.price!;
    const tif = order.timeInForce ?? 'GTC';
    let left: number;
    if (tif === 'FOK') {
      const saved = this.resting.map((r) => ({ ...r }));
      left = this.walk(order.id, order.side, order.owner, limit, order.quantity);
      if (left > 0) {
        this.resting = saved;
        this.trades = [];
        this.removed = this.removed.filter((x) => x.reason === 'expired');
        left = order.quantity;
      }
    } else {
      left = this.walk(order.id, order.side, order.owner, limit, order.quantity);
    }
    const rests = left > 0 && !this.incomingCancelled && !isMarket && (tif === 'GTC' || tif === 'GTD');
    if (rests) this.rest(order, limit, left, tif === 'GTD' ? order.expiresAt! : Number.POSITIVE_INFINITY);
    return this.result(order.id, rests ? left : 0, rests ? 0 : left);
  }

  replace(id: string, change: OrderChange, now?: number): SubmitResult {
    const problem =
      timeProblem(now) ??
      changeProblem(change) ??
      (this.find(id) ? undefined : 'id: no order with this id is resting in the book');
    if (problem !== undefined) return this.rejected(id, problem);
    this.begin(now);
    const r = this.find(id);
    if (r === undefined)
      return { ...this.rejected(id, `id: the order expired by ${now}`), removed: this.removed };
    const price = change.price ?? r.price;
    const quantity = change.quantity ?? r.open;
    if (price === r.price && quantity <= r.open) {
      r.open = quantity;
      return this.result(id, quantity, 0);
    }
    this.resting = this.resting.filter((x) => x !== r);
    const left = this.walk(id, r.order.side, r.order.owner, price, quantity);
    const rests = left > 0 && !this.incomingCancelled;
    if (rests) this.rest(r.order, price, left, r.expiresAt);
    return this.result(id, rests ? left : 0, rests ? 0 : left);
  }

  cancel(id: string): number {
    const r = this.find(id);
    if (r === undefined) return 0;
    this.resting = this.resting.filter((x) => x !== r);
    return r.open;
  }

  expire(now: number): TradeOrder[] {
    const due = this.resting
      .filter((r) => r.expiresAt <= now)
      .sort((a, b) => a.expiresAt - b.expiresAt || a.seq - b.seq);
    this.resting = this.resting.filter((r) => r.expiresAt > now);
    return due.map(snapshot);
  }

  closeGate(): TradeOrder[] {
    const all = [...this.resting].sort((a, b) => a.seq - b.seq).map(snapshot);
    this.resting = [];
    return all;
  }

  private find(id: string): Resting | undefined {
    return this.resting.find((r) => r.order.id === id);
  }

  /** One side in priority order: best price, then arrival. */
  private queue(side: 'buy' | 'sell'): Resting[] {
    const sign = side === 'buy' ? -1 : 1;
    return this.resting
      .filter((r) => r.order.side === side)
      .sort((a, b) => sign * (a.price - b.price) || a.seq - b.seq);
  }

  private begin(time: number | undefined): void {
    this.trades = [];
    this.removed = [];
    this.incomingCancelled = false;
    if (time !== undefined) for (const order of this.expire(time)) this.note(order, 'expired');
  }

  private walk(id: string, side: 'buy' | 'sell', owner: string | undefined, limit: number, quantity: number) {
    const isBuy = side === 'buy';
    let left = quantity;
    while (left > 0) {
      const maker = this.queue(isBuy ? 'sell' : 'buy')[0];
      if (maker === undefined || (isBuy ? maker.price > limit : maker.price < limit)) break;
      if (owner !== undefined && maker.order.owner === owner) {
        if (this.selfTrade !== 'cancel-incoming') {
          this.note(snapshot(maker), 'self-trade');
          this.resting = this.resting.filter((x) => x !== maker);
        }
        if (this.selfTrade === 'cancel-resting') continue;
        this.incomingCancelled = true;
        break;
      }
      const traded = Math.min(left, maker.open);
      left -= traded;
      maker.open -= traded;
      this.trades.push({
        buyOrderId: isBuy ? id : maker.order.id,
        sellOrderId: isBuy ? maker.order.id : id,
        price: maker.price,
        quantity: traded,
      });
      if (maker.open === 0) this.resting = this.resting.filter((x) => x !== maker);
    }
    return left;
  }

  private rest(order: TradeOrder, price: number, open: number, expiresAt: number): void {
    this.resting.push({ order, price, open, expiresAt, seq: this.seq++ });
  }

  private note(order: TradeOrder, reason: RemovalReason): void {
    this.removed.push({ order, reason });
  }

  private result(id: string, restingQuantity: number, cancelledQuantity: number): SubmitResult {
    return {
      id,
      accepted: true,
      reason: undefined,
      trades: this.trades,
      restingQuantity,
      cancelledQuantity,
      removed: this.removed,
    };
  }

  private rejected(id: string, reason: string): SubmitResult {
    return { id, accepted: false, reason, trades: [], restingQuantity: 0, cancelledQuantity: 0, removed: [] };
  }
}

/** One call on a book, as the property tests generate them. */
export type BookOp =
  | { kind: 'submit'; order: TradeOrder; now: number }
  | { kind: 'cancel'; id: string }
  | { kind: 'replace'; id: string; change: OrderChange; now: number }
  | { kind: 'expire'; now: number }
  | { kind: 'closeGate' };

/** Applies one call and returns everything it answered, to compare books by. */
export function applyOp(book: BookApi, op: BookOp): unknown {
  switch (op.kind) {
    case 'submit':
      return book.submit(op.order, op.now);
    case 'cancel':
      return book.cancel(op.id);
    case 'replace':
      return book.replace(op.id, op.change, op.now);
    case 'expire':
      return book.expire(op.now);
    case 'closeGate':
      return book.closeGate();
  }
}

/** The raw draws one operation is made from (see `toOps`). */
export interface OpDraw {
  /** 0–99: which operation, by bands */
  kind: number;
  buy: boolean;
  price: number;
  quantity: number;
  tif: number;
  owner: number;
  ttl: number;
  pick: number;
  dt: number;
  /** 0–19: small values make the order malformed in one of several ways */
  bad: number;
}

const owners = [undefined, 'alice', 'bob', 'carol'];
const tifs = ['GTC', 'GTC', 'GTC', 'IOC', 'FOK', 'GTD', 'GTD'] as const;

/**
 * Turns draws into calls: 55 % submit (10 % of them market orders, some malformed or
 * duplicates), 15 % cancel, 18 % replace, 7 % expire, 1 % gate closure, and a clock that only
 * moves forward. Targets of cancels and replaces are any id submitted so far, live or not, half
 * of them among the last ten. A `deep` stream puts bids at 99–100 and asks at 101–102, has no
 * GTD orders and never closes the gate, so the book grows and its few queues get long.
 */
export function toOps(draws: OpDraw[], deep = false): BookOp[] {
  const ops: BookOp[] = [];
  const ids: string[] = [];
  let now = 0;
  for (const d of draws) {
    now += d.dt;
    const recent = d.pick % 2 === 0 ? Math.min(ids.length, 10) : ids.length;
    const target = ids.length > 0 ? ids[ids.length - 1 - ((d.pick >> 1) % recent)] : 'none';
    if (d.kind < 55) {
      const id = `o${ops.length}`;
      const market = d.kind < 6;
      const drawn = tifs[d.tif % tifs.length];
      const tif = deep && drawn === 'GTD' ? 'GTC' : drawn;
      const order: TradeOrder = {
        id,
        side: d.buy ? 'buy' : 'sell',
        type: market ? 'market' : 'limit',
        quantity: d.quantity,
        timeInForce: tif,
        time: now,
      };
      if (!market) order.price = deep ? (d.buy ? 99 : 101) + (d.price % 2) : d.price;
      const owner = owners[d.owner % owners.length];
      if (owner !== undefined) order.owner = owner;
      if (tif === 'GTD') order.expiresAt = now + d.ttl;
      if (d.bad === 0) order.id = target;
      else if (d.bad === 1) order.quantity = 0;
      else if (d.bad === 2) order.price = Number.NaN;
      else if (d.bad === 3) order.quantity = -d.quantity;
      else if (d.bad === 4 && tif === 'GTD') order.expiresAt = now;
      else ids.push(id);
      ops.push({ kind: 'submit', order, now });
    } else if (d.kind < 70) {
      ops.push({ kind: 'cancel', id: target });
    } else if (d.kind < 88) {
      const change: OrderChange = {};
      if (d.tif % 3 !== 1) change.price = d.price;
      if (d.tif % 3 !== 0) change.quantity = d.bad === 1 ? 0 : d.quantity;
      ops.push({ kind: 'replace', id: target, change, now });
    } else if (d.kind < 95) {
      ops.push({ kind: 'expire', now });
    } else if (d.kind < 96 && !deep) {
      ops.push({ kind: 'closeGate' });
    } else {
      ops.push({ kind: 'cancel', id: 'never-submitted' });
    }
  }
  return ops;
}
