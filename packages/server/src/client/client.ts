/** A problem the API answered with (RFC 9457), thrown by the client. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      code?: string;
      field?: string;
      [k: string]: unknown;
    },
  ) {
    super(`${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
    this.name = 'ApiProblem';
  }

  get field(): string | undefined {
    return this.problem.field;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

export interface TradeOrderInput {
  side: 'buy' | 'sell';
  type?: 'limit' | 'market';
  price?: number;
  quantity: number;
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTD';
  expiresAt?: number;
}

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
  state: string;
}

/**
 * A typed client of the GridTier API: client credentials for a token (renewed before it
 * expires), then the REST routes. Every refusal is an ApiProblem naming the field.
 */
export class GridTierClient {
  private token: string | undefined;
  private expiresAt = 0;

  constructor(
    readonly baseUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  /** a bearer token, fetched or renewed when less than a minute of it is left */
  async accessToken(): Promise<string> {
    if (this.token !== undefined && Date.now() < this.expiresAt - 60_000) return this.token;
    const r = await fetch(`${this.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.clientId,
        client_secret: this.clientSecret,
      }),
    });
    const body = (await r.json()) as { access_token: string; expires_in: number };
    if (!r.ok) throw new ApiProblem(r.status, body as never);
    this.token = body.access_token;
    this.expiresAt = Date.now() + body.expires_in * 1000;
    return this.token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (!r.ok) throw new ApiProblem(r.status, parsed ?? {});
    return parsed as T;
  }

  markets(query: { market?: string; state?: 'open' | 'planned' | 'all' } = {}) {
    return this.request<{ seq: number; sessions: SessionView[] }>('GET', `/v1/markets${qs(query)}`);
  }

  book(market: string, session?: string) {
    return this.request<{
      seq: number;
      market: string;
      session: string;
      bids: { price: number; quantity: number }[];
      asks: { price: number; quantity: number }[];
    }>('GET', `/v1/markets/${encodeURIComponent(market)}/book${qs({ session })}`);
  }

  submit(order: {
    market: string;
    session?: string;
    clientOrderId: string;
    order: TradeOrderInput | Record<string, unknown>;
  }) {
    return this.request<OrderAckView>('POST', '/v1/orders', order);
  }

  order(orderId: string) {
    return this.request<Record<string, unknown> & { status: string; filledKwh: number }>(
      'GET',
      `/v1/orders/${encodeURIComponent(orderId)}`,
    );
  }

  orders(query: { market?: string; status?: string } = {}) {
    return this.request<{ orders: (Record<string, unknown> & { orderId: string; status: string })[] }>(
      'GET',
      `/v1/orders${qs(query)}`,
    );
  }

  cancel(orderId: string) {
    return this.request<OrderAckView>('DELETE', `/v1/orders/${encodeURIComponent(orderId)}`);
  }

  replace(orderId: string, order: TradeOrderInput) {
    return this.request<OrderAckView>('PUT', `/v1/orders/${encodeURIComponent(orderId)}`, { order });
  }

  fills(fromSeq?: number) {
    return this.request<{ fills: { orderId: string; kwh: number; usd: number; seq: number }[] }>(
      'GET',
      `/v1/fills${qs({ fromSeq })}`,
    );
  }

  trades(market: string, fromSeq?: number) {
    return this.request<{ trades: { seq: number; usdPerKwh: number; kwh: number }[] }>(
      'GET',
      `/v1/trades${qs({ market, fromSeq })}`,
    );
  }

  clearings(market: string, fromSeq?: number) {
    return this.request<{
      clearings: {
        seq: number;
        market: string;
        session: string;
        result: Record<string, unknown>;
        lines: { account: string; what: string; kwh: number; usd: number }[];
      }[];
    }>('GET', `/v1/clearings${qs({ market, fromSeq })}`);
  }

  /** the LEM's DLMPs per bus.phase node and interval, $/MWh */
  dlmps(query: { market?: string; fromSeq?: number } = {}) {
    return this.request<{
      dlmps: {
        seq: number;
        market: string;
        session: string;
        nodes: string[];
        intervals: { total: number[]; energy: number[]; loss: number[]; congestion: number[] }[];
      }[];
    }>('GET', `/v1/dlmps${qs(query)}`);
  }

  statements(participant?: string) {
    return this.request<{
      statements: { participant: string; balance: { kwh: number; usd: number }; sessions: unknown[] }[];
    }>('GET', `/v1/statements${qs({ participant })}`);
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
