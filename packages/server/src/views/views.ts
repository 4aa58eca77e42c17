import type { FeederMap, GridState } from '@gridtier/core/agents';
import type { Engine, EngineEvent, Fill, MoneyLine } from '@gridtier/core/engine';
import { type IntervalSettled, MeterSettlement } from '../live/index.js';

export type OrderStatus = 'live' | 'filled' | 'cancelled' | 'closed';

/** An order as its owner reads it back. */
export interface OrderView {
  orderId: string;
  clientOrderId: string;
  participant: string;
  market: string;
  session: string;
  order: unknown;
  status: OrderStatus;
  acceptedSeq: number;
  acceptedAt: string;
  /** energy sold (+) or bought (−) so far, kWh, and money received (+) or paid (−), $ */
  filledKwh: number;
  usd: number;
}

export interface FillView extends Fill {
  seq: number;
  at: string;
  market: string;
  session: string;
  clientOrderId?: string;
}

export interface TradeView {
  seq: number;
  at: string;
  market: string;
  session: string;
  usdPerKwh: number;
  kwh: number;
}

export interface ClearingView {
  seq: number;
  at: string;
  market: string;
  session: string;
  result: Record<string, unknown>;
  lines: MoneyLine[];
}

/** One participant's statement for one session: what it traded and what it is owed or owes. */
export interface StatementLine {
  market: string;
  session: string;
  kwh: number;
  usd: number;
  fills: number;
}

/** A metered interval settled against the trades for it (`settlement.interval`), as its participant reads it. */
export type SettledIntervalView = Omit<IntervalSettled, 'participant' | 'intervalStartMs'> & {
  intervalStart: string;
};

export interface Account {
  account: string;
  kwh: number;
  usd: number;
}

/**
 * An order as the views keep it: the view's fields with the acceptance time as a number (an ISO
 * string per order is 40 bytes more of every one of the hundreds of thousands a book can hold).
 */
type OrderRecord = Omit<OrderView, 'acceptedAt'> & { acceptedMs: number };

const iso = (t: number) => new Date(t).toISOString();

function viewOf(r: OrderRecord): OrderView {
  const { acceptedMs, ...rest } = r;
  return { ...rest, acceptedAt: iso(acceptedMs) };
}
/** how many public trades and clearings are kept per market for reading back */
const KEEP_PER_MARKET = 10_000;

/**
 * What the API reads, folded from the engine's events as they happen (and as a replay
 * publishes them again): orders with their status and fills, the public tape and clearings,
 * statements per participant and session, and every account's balance.
 */
export class Views {
  private readonly orders = new Map<string, OrderRecord>();
  private readonly ordersOf = new Map<string, string[]>();
  private readonly fillsOf = new Map<string, FillView[]>();
  private readonly trades = new Map<string, TradeView[]>();
  private readonly clearings = new Map<string, ClearingView[]>();
  private readonly statements = new Map<string, Map<string, StatementLine>>();
  private readonly accounts = new Map<string, Account>();
  private readonly liveBySession = new Map<string, Set<string>>();
  private readonly intervals = new Map<string, SettledIntervalView[]>();
  /** the feeder a scenario's day runs on, and the DSO's last power flow of it (null without a scenario) */
  feeder: FeederMap | null = null;
  grid: (GridState & { seq: number }) | null = null;

  constructor(engine: Engine) {
    engine.observe(['order.', 'market.', 'settlement.interval'], (e) => this.fold(e), { all: true });
    engine.observe(
      ['day.started', 'dso.grid'],
      (e) => {
        if (e.type === 'day.started') this.feeder = (e.payload as { feeder?: FeederMap }).feeder ?? null;
        else this.grid = { ...(e.payload as GridState), seq: e.seq };
      },
      { all: true },
    );
  }

  private fold(e: EngineEvent): void {
    const p = e.payload as Record<string, unknown>;
    switch (e.type) {
      case 'order.accepted':
        this.accepted(e, p);
        return;
      case 'order.replaced': {
        const o = this.orders.get(p.orderId as string);
        if (o) o.order = p.order;
        return;
      }
      case 'order.cancelled':
        this.finish(p.orderId as string, 'cancelled');
        return;
      case 'market.fill':
        this.fill(e, p as unknown as Fill & { market: string; session: string; clientOrderId?: string });
        return;
      case 'market.trade':
        push(this.trades, p.market as string, {
          seq: e.seq,
          at: iso(e.t),
          market: p.market as string,
          session: p.session as string,
          usdPerKwh: p.usdPerKwh as number,
          kwh: p.kwh as number,
        });
        return;
      case 'settlement.interval': {
        const s = p as unknown as IntervalSettled;
        const { participant: _, intervalStartMs, ...rest } = s;
        push(this.intervals, s.participant, { intervalStart: iso(intervalStartMs), ...rest });
        if (!this.statements.has(s.participant)) this.statements.set(s.participant, new Map());
        // the DSO takes the surplus and covers the shortfall
        this.credit(s.participant, s.imbalanceKwh, s.usd);
        this.credit(MeterSettlement.ACCOUNT, -s.imbalanceKwh, -s.usd);
        return;
      }
      case 'market.lines':
        for (const l of p.lines as MoneyLine[]) this.credit(l.account, l.kwh, l.usd);
        return;
      case 'market.gate':
        for (const id of this.liveBySession.get(p.session as string) ?? []) this.finish(id, 'closed');
        this.liveBySession.delete(p.session as string);
        return;
      case 'market.cleared':
        for (const l of p.lines as MoneyLine[]) this.credit(l.account, l.kwh, l.usd);
        push(this.clearings, p.market as string, {
          seq: e.seq,
          at: iso(e.t),
          market: p.market as string,
          session: p.session as string,
          result: p.result as Record<string, unknown>,
          lines: p.lines as MoneyLine[],
        });
    }
  }

  private accepted(e: EngineEvent, p: Record<string, unknown>): void {
    const v: OrderRecord = {
      orderId: p.orderId as string,
      clientOrderId: p.clientOrderId as string,
      participant: e.actor,
      market: p.market as string,
      session: p.session as string,
      order: p.order,
      status: 'live',
      acceptedSeq: e.seq,
      acceptedMs: e.t,
      filledKwh: 0,
      usd: 0,
    };
    this.orders.set(v.orderId, v);
    let mine = this.ordersOf.get(v.participant);
    if (!mine) this.ordersOf.set(v.participant, (mine = []));
    mine.push(v.orderId);
    let live = this.liveBySession.get(v.session);
    if (!live) this.liveBySession.set(v.session, (live = new Set()));
    live.add(v.orderId);
  }

  private finish(orderId: string, status: OrderStatus): void {
    const o = this.orders.get(orderId);
    if (o?.status !== 'live') return;
    o.status = status;
    this.liveBySession.get(o.session)?.delete(orderId);
  }

  private fill(e: EngineEvent, f: Fill & { market: string; session: string; clientOrderId?: string }): void {
    push(this.fillsOf, f.participant, { ...f, seq: e.seq, at: iso(e.t) });
    this.credit(f.participant, f.kwh, f.usd);
    let byS = this.statements.get(f.participant);
    if (!byS) this.statements.set(f.participant, (byS = new Map()));
    let line = byS.get(f.session);
    if (!line)
      byS.set(f.session, (line = { market: f.market, session: f.session, kwh: 0, usd: 0, fills: 0 }));
    line.kwh += f.kwh;
    line.usd += f.usd;
    line.fills++;
    const o = this.orders.get(f.orderId);
    if (!o) return;
    o.filledKwh += f.kwh;
    o.usd += f.usd;
    const q = (o.order as { quantity?: number }).quantity;
    if (q === undefined || Math.abs(o.filledKwh) < q - 1e-9) return;
    // a call market's fills come after its gate closed the session's orders: filled is what they are
    if (o.status === 'closed') o.status = 'filled';
    else this.finish(o.orderId, 'filled');
  }

  private credit(account: string, kwh: number, usd: number): void {
    let a = this.accounts.get(account);
    if (!a) this.accounts.set(account, (a = { account, kwh: 0, usd: 0 }));
    a.kwh += kwh;
    a.usd += usd;
  }

  order(orderId: string): OrderView | undefined {
    const r = this.orders.get(orderId);
    return r && viewOf(r);
  }

  ordersOfParticipant(
    participant: string,
    filter: { market?: string; status?: OrderStatus } = {},
  ): OrderView[] {
    return (this.ordersOf.get(participant) ?? [])
      .map((id) => this.orders.get(id)!)
      .filter(
        (o) =>
          (filter.market === undefined || o.market === filter.market) &&
          (filter.status === undefined || o.status === filter.status),
      )
      .map(viewOf);
  }

  fills(participant: string, fromSeq = 0): FillView[] {
    return (this.fillsOf.get(participant) ?? []).filter((f) => f.seq >= fromSeq);
  }

  /** One market's public trades, or every market's in the log's order. */
  tradesOf(market: string | undefined, fromSeq = 0): TradeView[] {
    const lists = market === undefined ? [...this.trades.values()] : [this.trades.get(market) ?? []];
    return lists.flatMap((l) => l.filter((t) => t.seq >= fromSeq)).sort((a, b) => a.seq - b.seq);
  }

  clearingsOf(market: string, fromSeq = 0): ClearingView[] {
    return (this.clearings.get(market) ?? []).filter((c) => c.seq >= fromSeq);
  }

  statement(participant: string): StatementLine[] {
    return [...(this.statements.get(participant)?.values() ?? [])];
  }

  settledIntervals(participant: string): SettledIntervalView[] {
    return this.intervals.get(participant) ?? [];
  }

  participants(): string[] {
    return [...this.statements.keys()];
  }

  account(name: string): Account {
    return this.accounts.get(name) ?? { account: name, kwh: 0, usd: 0 };
  }

  allAccounts(): Account[] {
    return [...this.accounts.values()].sort((a, b) => (a.account < b.account ? -1 : 1));
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(item);
  if (list.length > KEEP_PER_MARKET * 1.5) list.splice(0, list.length - KEEP_PER_MARKET);
}
