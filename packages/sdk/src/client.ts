import { ApiProblem, ApiUnreachable } from './problem.js';
import type {
  BookView,
  ClearingView,
  DlmpView,
  FillView,
  MeterReadingInput,
  OrderAckView,
  OrderSubmission,
  OrderView,
  SessionView,
  StatementView,
  TradeOrderInput,
} from './types.js';

export interface ClientOptions {
  /** tries after the first for a request that is safe to repeat (default 4) */
  retries?: number;
  /** the first pause between tries, doubled each time, ms (default 50) */
  retryDelayMs?: number;
  /** renew a token this long before it expires, ms (default 60 s) */
  renewBeforeMs?: number;
}

/** Answers worth another try: the server was busy, restarting or rate-limiting. */
const TRANSIENT = new Set([429, 502, 503, 504]);

/**
 * A typed client of the GridTier API. It gets a bearer token with its client credentials and
 * renews it before it expires (and once more if the server refuses it, e.g. after a restart
 * with new keys). Requests that are safe to repeat — reads, and orders, which a client order id
 * makes idempotent — are retried on network failures and busy answers with backoff. Every
 * refusal is an ApiProblem naming the field.
 */
export class GridTierClient {
  private token: string | undefined;
  private expiresAt = 0;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly renewBeforeMs: number;

  constructor(
    readonly baseUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    options: ClientOptions = {},
  ) {
    this.retries = options.retries ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.renewBeforeMs = options.renewBeforeMs ?? 60_000;
  }

  /** a bearer token, fetched or renewed when it is about to expire */
  async accessToken(): Promise<string> {
    if (this.token !== undefined && Date.now() < this.expiresAt - this.renewBeforeMs) return this.token;
    const r = await this.tryHard(() =>
      fetch(`${this.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.clientId,
          client_secret: this.clientSecret,
        }),
      }),
    );
    const body = (await r.json()) as { access_token: string; expires_in: number };
    if (!r.ok) throw new ApiProblem(r.status, body as never);
    this.token = body.access_token;
    this.expiresAt = Date.now() + body.expires_in * 1000;
    return this.token;
  }

  /** One API call; `repeatable` calls are retried on transient failures. */
  async request<T>(method: string, path: string, body?: unknown, repeatable = method === 'GET'): Promise<T> {
    const send = async (): Promise<Response> => {
      const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken()}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    };
    const once = async (): Promise<Response> => {
      const r = await send();
      if (r.status !== 401 || this.token === undefined) return r;
      // a token the server no longer takes: one more try with a fresh one
      await r.body?.cancel();
      this.token = undefined;
      return send();
    };
    const r = repeatable ? await this.tryHard(once) : await once();
    const text = await r.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (!r.ok) throw new ApiProblem(r.status, parsed ?? {});
    return parsed as T;
  }

  /** Tries again after network errors and transient answers, waiting longer each time (or as told by Retry-After). */
  private async tryHard(call: () => Promise<Response>): Promise<Response> {
    let delay = this.retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      let wait = delay;
      try {
        const r = await call();
        if (!TRANSIENT.has(r.status) || attempt >= this.retries) return r;
        const after = Number(r.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.max(wait, after * 1000);
        await r.body?.cancel();
      } catch (e) {
        if (e instanceof ApiProblem) throw e;
        if (attempt >= this.retries)
          throw new ApiUnreachable(`${this.baseUrl}: no answer after ${attempt + 1} tries`, { cause: e });
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay *= 2;
    }
  }

  markets(query: { market?: string; state?: 'open' | 'planned' | 'all' } = {}) {
    // now: the markets' clock (an accelerated clock runs ahead of the wall clock)
    return this.request<{ seq: number; now: string; sessions: SessionView[] }>(
      'GET',
      `/v1/markets${qs(query)}`,
    );
  }

  book(market: string, session?: string) {
    return this.request<BookView>('GET', `/v1/markets/${encodeURIComponent(market)}/book${qs({ session })}`);
  }

  /** Submits an order; retried safely, since its client order id names it. */
  submit(order: OrderSubmission) {
    return this.request<OrderAckView>('POST', '/v1/orders', order, true);
  }

  order(orderId: string) {
    return this.request<OrderView>('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
  }

  orders(query: { market?: string; status?: string } = {}) {
    return this.request<{ orders: OrderView[] }>('GET', `/v1/orders${qs(query)}`);
  }

  /** Cancels an order; retried safely (cancelling again changes nothing more). */
  cancel(orderId: string) {
    return this.request<OrderAckView>('DELETE', `/v1/orders/${encodeURIComponent(orderId)}`, undefined, true);
  }

  replace(orderId: string, order: TradeOrderInput | Record<string, unknown>) {
    return this.request<OrderAckView>('PUT', `/v1/orders/${encodeURIComponent(orderId)}`, { order });
  }

  fills(fromSeq?: number) {
    return this.request<{ fills: FillView[] }>('GET', `/v1/fills${qs({ fromSeq })}`);
  }

  /** one market's public trades, or every market's (market undefined) */
  trades(market?: string, fromSeq?: number) {
    return this.request<{
      trades: { seq: number; market: string; usdPerKwh: number; kwh: number; session: string }[];
    }>('GET', `/v1/trades${qs({ market, fromSeq })}`);
  }

  clearings(market: string, fromSeq?: number) {
    return this.request<{ clearings: ClearingView[] }>('GET', `/v1/clearings${qs({ market, fromSeq })}`);
  }

  /** the LEM's DLMPs per bus.phase node and interval, $/MWh */
  dlmps(query: { market?: string; fromSeq?: number } = {}) {
    return this.request<{ dlmps: DlmpView[] }>('GET', `/v1/dlmps${qs(query)}`);
  }

  statements(participant?: string) {
    return this.request<{ statements: StatementView[] }>('GET', `/v1/statements${qs({ participant })}`);
  }

  /** Reports meter readings (oracles); retried safely, since a meter's interval is kept once. */
  reportReadings(readings: MeterReadingInput[]) {
    return this.request<{ stored: number; settled: number; duplicates: MeterReadingInput[] }>(
      'POST',
      '/v1/meter-readings',
      { readings },
      true,
    );
  }

  /** a WebSocket URL of the feed, with the token in the query (browsers cannot set headers there) */
  async feedUrl(): Promise<string> {
    return `${this.baseUrl.replace(/^http/, 'ws')}/v1/feed?access_token=${encodeURIComponent(await this.accessToken())}`;
  }
}

function qs(query: Record<string, string | number | undefined>): string {
  const p = Object.entries(query).filter(([, v]) => v !== undefined) as [string, string | number][];
  return p.length === 0
    ? ''
    : `?${new URLSearchParams(p.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}
