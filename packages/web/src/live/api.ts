/** The public API of `gridtier serve` as the dashboard uses it: a token from the client's id and secret, REST under /v1, the feed. */

export interface Problem {
  title?: string;
  detail?: string;
  field?: string;
}

export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Session {
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

export interface Level {
  price: number;
  quantity: number;
}

export interface FeedMessage {
  type: string;
  seq: number;
  time?: string;
  actor?: string;
  payload?: Record<string, unknown>;
  market?: string;
  session?: string;
  bids?: Level[];
  asks?: Level[];
  participant?: string;
  role?: string;
}

export class Api {
  private constructor(
    readonly base: string,
    private readonly token: string,
    readonly scopes: ReadonlySet<string>,
  ) {}

  /** OAuth2 client credentials: POST /oauth/token. */
  static async login(base: string, clientId: string, clientSecret: string): Promise<Api> {
    const r = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    const body = await r.json();
    if (!r.ok) throw new ApiRefusal(r.status, body);
    return new Api(base, body.access_token, new Set(String(body.scope ?? '').split(' ')));
  }

  can(scope: string): boolean {
    return this.scopes.has(scope);
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = await r.json();
    if (!r.ok) throw new ApiRefusal(r.status, data);
    return data as T;
  }

  /** The market-data feed; the token rides in the query (browsers cannot set headers on a WebSocket). */
  feed(onMessage: (m: FeedMessage) => void, onClose: () => void): WebSocket {
    const ws = new WebSocket(
      `${this.base.replace(/^http/, 'ws')}/v1/feed?access_token=${encodeURIComponent(this.token)}`,
    );
    ws.onmessage = (e) => onMessage(JSON.parse(String(e.data)));
    ws.onclose = onClose;
    return ws;
  }
}
