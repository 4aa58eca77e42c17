import type { Product, SessionWindow } from '../time/index.js';

export type SessionState = 'planned' | 'open' | 'closed' | 'cleared';

/** One session of a market: the delivery it clears and the window in which it takes orders. */
export interface Session extends SessionWindow {
  readonly id: string;
  readonly market: string;
  state: SessionState;
  /** the sequence number of its gate event, once the gate has closed */
  gateSeq?: number;
}

/** An accepted order as the engine keeps it. */
export interface OrderTicket<O = unknown> {
  /** the engine's id, unique over the engine */
  orderId: string;
  /** the participant's own id for the order, unique per participant and market */
  clientOrderId: string;
  participant: string;
  market: string;
  session: string;
  /** the sequence number of the event that accepted (or last replaced) it: its time priority */
  seq: number;
  t: number;
  order: O;
}

/** A market's verdict on an order: the parsed order, or the field at fault and why. */
export type Validation<O> = { ok: true; order: O } | { ok: false; field: string; reason: string };

/** What one order got out of a clearing or a match. */
export interface Fill {
  orderId: string;
  participant: string;
  /** energy the participant sold (+) or bought (−) over the delivery, kWh */
  kwh: number;
  /** money the participant received (+) or paid (−), $ */
  usd: number;
  /** the price, $/kWh, where one applies */
  usdPerKwh?: number;
  /** what else the market tells the participant (a schedule per interval, a rejection) */
  detail?: Record<string, unknown>;
}

/** Money of a counterparty that placed no order: the ISO boundary, the DSO, the market operator. */
export interface MoneyLine {
  account: string;
  /** what the line is for, e.g. "iso boundary", "congestion and loss rent" */
  what: string;
  kwh: number;
  usd: number;
}

/** A trade as the public tape shows it: no identities. */
export interface PublicTrade {
  usdPerKwh: number;
  kwh: number;
}

/** Trades a continuous market made when an order arrived or changed. */
export interface Matched {
  fills: Fill[];
  trades: PublicTrade[];
  lines: MoneyLine[];
  /** orders no longer live: filled, or cancelled by their time in force */
  done: string[];
}

/** What a gate produced: the public result, each order's fill and the counterparties' money. */
export interface ClearingOutcome {
  result: Record<string, unknown>;
  fills: Fill[];
  lines: MoneyLine[];
  /** a call market's matches for the public tape: price and energy, no identities */
  trades?: PublicTrade[];
}

/**
 * A market as a service of the engine: sessions on a product's clock, orders validated by the
 * market's own schema, a clearing at each gate. The engine keeps the orders, enforces the gates
 * and publishes the results; a market only says what its orders are and how they clear. Every
 * fill's and line's money of one clearing sums to zero.
 */
export interface MarketService<O = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly product: Product;
  /** the participant that may open sessions outside the market's clock (the DSO of a flexibility market) */
  readonly operator?: string;
  /** the sessions it holds for the day that begins at `dayStartMs` */
  sessionsOfDay(dayStartMs: number): SessionWindow[];
  validate(raw: unknown, participant: string): Validation<O>;
  /** a continuous market trades an accepted order at once */
  accept?(session: Session, ticket: OrderTicket<O>, now: number): Matched | undefined;
  cancel?(session: Session, ticket: OrderTicket<O>, now: number): void;
  replace?(
    session: Session,
    previous: OrderTicket<O>,
    next: OrderTicket<O>,
    now: number,
  ): Matched | undefined;
  /** clears at the gate over the orders still live (a continuous market expires what rests) */
  clear(
    session: Session,
    live: readonly OrderTicket<O>[],
    now: number,
  ): ClearingOutcome | Promise<ClearingOutcome>;
}

/** The public description of a session, as `GET /markets` and agents see it. */
export interface SessionInfo {
  id: string;
  market: string;
  kind: string;
  product: string;
  deliveryStartMs: number;
  deliveryEndMs: number;
  openMs: number;
  gateMs: number;
  state: SessionState;
}
