import type { MarketService } from '@gridtier/core/engine';
import type { DeviceHost } from '@gridtier/devices';
import type { z } from 'zod';
import type { Caller, Scope, Tokens } from '../auth/index.js';
import type { LiveMarkets } from '../live/index.js';
import type { Vtn } from '../openadr/vtn.js';
import type { Repository } from '../store/index.js';
import type { Views } from '../views/index.js';

/** What every route handler reaches. */
export interface ApiDeps {
  live: LiveMarkets;
  views: Views;
  repo: Repository;
  tokens: Tokens;
  markets: readonly MarketService[];
  /** the OpenADR 3.1 VTN's objects */
  vtn: Vtn;
  /** the MQTT device gateway (absent when the server runs without one) */
  devices?: DeviceHost;
}

export interface RouteContext<P, Q, B> {
  /** the verified caller; absent only on routes without a scope */
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  deps: ApiDeps;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One route, as data: the table of these is what the server registers, what /openapi.json is
 * generated from and what the permission tests walk, so the three cannot disagree.
 */
export interface Route<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI style: /v1/orders/{orderId} */
  path: string;
  /** the scope a caller needs; none for the token endpoint and the documents */
  scope?: Scope;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: Schema;
  /** the success status (200 unless said) */
  status?: number;
  handler(ctx: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<unknown> | unknown;
}

/** Declares a route with its handler typed from its schemas. */
export function route<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(r: Route<P, Q, B>): Route {
  return r as unknown as Route;
}
