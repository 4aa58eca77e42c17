/**
 * What the API takes and gives back, as the server's OpenAPI document describes it (/openapi.json);
 * the server's tests hold these to the schemas that validate its requests. Orders are object types
 * rather than interfaces so that they are records, as the API's `order` field is.
 */

export type TradeOrderInput = {
  side: 'buy' | 'sell';
  type?: 'limit' | 'market';
  price?: number;
  quantity: number;
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTD';
  expiresAt?: number;
};

/** An order of the local energy market: a bid or offer at a bus and phases, $/MWh and kW. */
export type LemOrderInput = {
  type: 'bid' | 'offer';
  bus: string;
  phases: number[];
  /** the session's intervals it is for (all by default) */
  intervals?: number[];
  steps: { price: number; quantityKw: number }[];
};

export type OrderSubmission = {
  market: string;
  session?: string;
  /** names the order: the same id again (a retry) gets the same order back, never a second one */
  clientOrderId: string;
  order: TradeOrderInput | LemOrderInput | Record<string, unknown>;
};

export interface OrderAckView {
  orderId: string;
  session: string;
  seq: number;
  duplicate: boolean;
}

export interface SessionView {
  id: string;
  market: string;
  kind: string;
  product: string;
  deliveryStart: string;
  deliveryEnd: string;
  opens: string;
  gate: string;
  state: 'planned' | 'open' | 'closed' | 'cleared';
}

export interface OrderView {
  orderId: string;
  clientOrderId: string;
  participant: string;
  market: string;
  session: string;
  order: unknown;
  status: 'live' | 'filled' | 'cancelled' | 'closed';
  acceptedSeq: number;
  acceptedAt: string;
  filledKwh: number;
  usd: number;
}

export interface FillView {
  seq: number;
  at: string;
  market: string;
  session: string;
  orderId: string;
  clientOrderId?: string;
  participant: string;
  /** sold (+) or bought (−), kWh */
  kwh: number;
  /** received (+) or paid (−), $ */
  usd: number;
  usdPerKwh?: number;
  /** what the market adds about the fill (a call market's clearing price rule, a LEM's bus and phase, …) */
  detail?: Record<string, unknown>;
}

export interface BookLevel {
  price: number;
  quantity: number;
}

export interface BookView {
  seq: number;
  market: string;
  session: string;
  bids: BookLevel[];
  asks: BookLevel[];
}

export interface ClearingView {
  seq: number;
  at: string;
  market: string;
  session: string;
  result: Record<string, unknown>;
  lines: { account: string; what: string; kwh: number; usd: number }[];
}

/** A local energy market's DLMPs at one clearing, $/MWh, per `bus.phase` node and interval. */
export interface DlmpView {
  seq: number;
  market: string;
  session: string;
  /** the start of its first interval */
  deliveryStart: string;
  intervalMinutes: number;
  nodes: string[];
  intervals: { total: number[]; energy: number[]; loss: number[]; congestion: number[] }[];
}

export interface StatementView {
  participant: string;
  balance: { account: string; kwh: number; usd: number };
  sessions: { market: string; session: string; kwh: number; usd: number; fills: number }[];
  /** metered intervals settled against the trades for them */
  intervals: SettledInterval[];
}

export interface SettledInterval {
  intervalStart: string;
  intervalMinutes: number;
  contractedKwh: number;
  meteredKwh: number;
  /** metered − contracted: a surplus (+) the DSO bought, a shortfall (−) it sold */
  imbalanceKwh: number;
  usdPerKwh: number;
  usd: number;
}

/** A metered interval: the participant's net export (+) or import (−), kWh. */
export interface MeterReadingInput {
  /** the participant the meter meters */
  meter: string;
  intervalStart: string;
  intervalMinutes: 5 | 15 | 30 | 60;
  kwh: number;
}
