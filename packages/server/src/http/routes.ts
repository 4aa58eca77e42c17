import { type OrderAck, type SessionInfo, sessionStartOf } from '@gridtier/core/engine';
import { ContinuousMarket } from '@gridtier/core/venues';
import { addClient, publicClient, SEES_ALL } from '../auth/index.js';
import { DEVICE_ROUTES } from '../devices/index.js';
import { ApiError } from '../errors.js';
import { refusal } from './problem.js';
import { type ApiDeps, type Route, route } from './route.js';
import * as s from './schemas.js';

const iso = (t: number) => new Date(t).toISOString();
const notFound = (field: string, message: string) => new ApiError(404, 'Not found', message, { field });

const sessionView = (i: SessionInfo) => ({
  id: i.id,
  market: i.market,
  kind: i.kind,
  product: i.product,
  deliveryStart: iso(i.deliveryStartMs),
  deliveryEnd: iso(i.deliveryEndMs),
  opens: iso(i.openMs),
  gate: iso(i.gateMs),
  state: i.state,
});

function acknowledged(ack: OrderAck) {
  if (!ack.ok) throw refusal(ack);
  return { orderId: ack.orderId, session: ack.session, seq: ack.seq, duplicate: ack.duplicate ?? false };
}

function ownOrder(deps: ApiDeps, participant: string, orderId: string) {
  const o = deps.views.order(orderId);
  if (!o || o.participant !== participant) throw notFound('orderId', `no order ${orderId} of yours`);
  return o;
}

/** The participant a statement is for: one's own, or for an auditor whoever it names. */
function whose(caller: { name: string; role: string }, named: string | undefined): string[] | undefined {
  if (SEES_ALL.has(caller.role as never)) return named === undefined ? undefined : [named];
  if (named !== undefined && named !== caller.name)
    throw new ApiError(403, 'Forbidden', `participant: you read your own statements only (${caller.name})`, {
      field: 'participant',
    });
  return [caller.name];
}

/** Every route of the API. */
export const ROUTES: readonly Route[] = [
  route({
    method: 'GET',
    path: '/v1/markets',
    scope: 'markets:read',
    tag: 'markets',
    summary:
      'Sessions of the markets: id, kind, product, delivery, opening and gate time (open ones unless asked)',
    query: s.marketsQuery,
    response: s.marketsResponse,
    handler: ({ query, deps }) =>
      deps.live.read((engine) => {
        const list = engine
          .sessionInfos(query.market)
          .filter((i) => query.state === 'all' || i.state === query.state);
        return {
          seq: deps.live.lastSeq,
          now: new Date(engine.clock.now()).toISOString(),
          sessions: list.map(sessionView),
        };
      }),
  }),
  route({
    method: 'GET',
    path: '/v1/markets/{market}/book',
    scope: 'markets:read',
    tag: 'markets',
    summary:
      "A snapshot of a continuous market's book (price levels) with the sequence number it is current to",
    params: s.marketParams,
    query: s.bookQuery,
    response: s.bookResponse,
    handler: ({ params, query, deps }) =>
      deps.live.read((engine) => {
        const m = deps.markets.find((x) => x.id === params.market);
        if (!m) throw notFound('market', `no market "${params.market}"`);
        if (!(m instanceof ContinuousMarket))
          throw new ApiError(
            409,
            'No open book',
            `market: ${m.id} is a call market, its orders are sealed until the gate`,
            {
              field: 'market',
            },
          );
        const open = engine.sessionInfos(m.id).filter((i) => i.state === 'open');
        const session = query.session ?? (open.length === 1 ? open[0].id : undefined);
        if (session === undefined)
          throw new ApiError(
            400,
            'Session needed',
            `session: ${m.id} has ${open.length} sessions open, name one`,
            {
              field: 'session',
            },
          );
        const book = m.book(session);
        return {
          seq: deps.live.lastSeq,
          market: m.id,
          session,
          bids: book?.depth('buy', query.levels) ?? [],
          asks: book?.depth('sell', query.levels) ?? [],
        };
      }),
  }),
  route({
    method: 'POST',
    path: '/v1/orders',
    scope: 'orders:write',
    tag: 'orders',
    summary:
      'Submits an order; acknowledged once durable. The same clientOrderId again returns the same order',
    body: s.orderRequest,
    response: s.orderAck,
    status: 201,
    handler: async ({ caller, body, deps }) => acknowledged(await deps.live.submit(caller.name, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/orders',
    scope: 'orders:read',
    tag: 'orders',
    summary: 'Your orders, with status and what filled',
    query: s.ordersQuery,
    response: s.ordersResponse,
    handler: ({ caller, query, deps }) => ({ orders: deps.views.ordersOfParticipant(caller.name, query) }),
  }),
  route({
    method: 'GET',
    path: '/v1/orders/{orderId}',
    scope: 'orders:read',
    tag: 'orders',
    summary: 'One of your orders',
    params: s.orderParams,
    response: s.orderView,
    handler: ({ caller, params, deps }) => ownOrder(deps, caller.name, params.orderId),
  }),
  route({
    method: 'DELETE',
    path: '/v1/orders/{orderId}',
    scope: 'orders:write',
    tag: 'orders',
    summary: 'Cancels one of your live orders; acknowledged once durable',
    params: s.orderParams,
    response: s.orderAck,
    handler: async ({ caller, params, deps }) => {
      const o = ownOrder(deps, caller.name, params.orderId);
      return acknowledged(await deps.live.cancel(caller.name, o.market, o.orderId));
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/orders/{orderId}',
    scope: 'orders:write',
    tag: 'orders',
    summary: 'Replaces one of your live orders (a new price or quantity takes a new time priority)',
    params: s.orderParams,
    body: s.replaceRequest,
    response: s.orderAck,
    handler: async ({ caller, params, body, deps }) => {
      const o = ownOrder(deps, caller.name, params.orderId);
      return acknowledged(await deps.live.replace(caller.name, o.market, o.orderId, body.order));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/fills',
    scope: 'fills:read',
    tag: 'orders',
    summary: 'Your fills: energy and money per order from trades and clearings',
    query: s.fillsQuery,
    response: s.fillsResponse,
    handler: ({ caller, query, deps }) => ({ fills: deps.views.fills(caller.name, query.fromSeq) }),
  }),
  route({
    method: 'GET',
    path: '/v1/trades',
    scope: 'markets:read',
    tag: 'market data',
    summary: "The markets' public trades, or one market's (price and energy, no identities)",
    query: s.tradesQuery,
    response: s.tradesResponse,
    handler: ({ query, deps }) => ({ trades: deps.views.tradesOf(query.market, query.fromSeq) }),
  }),
  route({
    method: 'GET',
    path: '/v1/clearings',
    scope: 'markets:read',
    tag: 'market data',
    summary: "A market's clearing results at each gate, with the counterparties' money lines",
    query: s.marketQuery,
    response: s.clearingsResponse,
    handler: ({ query, deps }) => ({ clearings: deps.views.clearingsOf(query.market, query.fromSeq) }),
  }),
  route({
    method: 'GET',
    path: '/v1/dlmps',
    scope: 'markets:read',
    tag: 'market data',
    summary:
      'Distribution locational marginal prices per bus and phase (energy, loss, congestion) of the local energy market',
    query: s.dlmpsQuery,
    response: s.dlmpsResponse,
    handler: ({ query, deps }) => ({
      dlmps: deps.markets
        .filter((m) => query.market === undefined || m.id === query.market)
        .flatMap((m) =>
          deps.views
            .clearingsOf(m.id, query.fromSeq)
            .filter((c) => typeof c.result.dlmp === 'object' && c.result.dlmp !== null)
            .map((c) => ({
              seq: c.seq,
              market: c.market,
              session: c.session,
              deliveryStart: iso(sessionStartOf(c.session)),
              intervalMinutes: m.product.intervalMinutes,
              ...(c.result.dlmp as object),
            })),
        ),
    }),
  }),
  route({
    method: 'GET',
    path: '/v1/grid',
    scope: 'markets:read',
    tag: 'market data',
    summary:
      "The feeder as a map (buses, coordinates, lines and transformers) and the DSO's last power flow: voltage per bus and phase, loading per branch",
    response: s.gridResponse,
    handler: ({ deps }) => ({ seq: deps.live.lastSeq, feeder: deps.views.feeder, state: deps.views.grid }),
  }),
  route({
    method: 'GET',
    path: '/v1/statements',
    scope: 'statements:read',
    tag: 'settlement',
    summary: 'Settlement statements: energy and money per session and the balance (your own; an auditor any)',
    query: s.statementsQuery,
    response: s.statementsResponse,
    handler: ({ caller, query, deps }) => ({
      statements: (whose(caller, query.participant) ?? deps.views.participants()).map((p) => ({
        participant: p,
        balance: deps.views.account(p),
        sessions: deps.views.statement(p),
        intervals: deps.views.settledIntervals(p),
      })),
    }),
  }),
  route({
    method: 'GET',
    path: '/v1/accounts',
    scope: 'accounts:read',
    tag: 'settlement',
    summary: "Every account's energy and money: participants, the DSO, the market operator",
    response: s.accountsResponse,
    handler: ({ deps }) => ({ accounts: deps.views.allAccounts() }),
  }),
  route({
    method: 'POST',
    path: '/v1/meter-readings',
    scope: 'readings:write',
    tag: 'settlement',
    summary:
      "Reports metered intervals (a meter is named by the participant it meters; kWh exported +, imported −); each settles the participant's interval against its trades once, a second report of it is listed back",
    body: s.readingsRequest,
    response: s.readingsResponse,
    status: 201,
    handler: async ({ caller, body, deps }) => {
      const readings = body.readings.map((r) => ({
        meter: r.meter,
        intervalStartMs: Date.parse(r.intervalStart),
        intervalMinutes: r.intervalMinutes,
        kwh: r.kwh,
      }));
      // the engine first: a reading is settled exactly once even if the list below failed
      const settled = await deps.live.report(caller.name, readings);
      const { stored, duplicates } = await deps.repo.addReadings(caller.name, readings, Date.now());
      return {
        stored,
        settled,
        duplicates: duplicates.map((d) => ({
          ...d,
          intervalStart: iso(d.intervalStartMs),
          intervalStartMs: undefined,
        })),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/meter-readings',
    scope: 'readings:read',
    tag: 'settlement',
    summary: 'Meter readings by meter and time',
    query: s.readingsQuery,
    response: s.readingsList,
    handler: async ({ query, deps }) => ({
      readings: (
        await deps.repo.readings({
          meter: query.meter,
          fromMs: query.from === undefined ? undefined : Date.parse(query.from),
          toMs: query.to === undefined ? undefined : Date.parse(query.to),
          limit: query.limit,
        })
      ).map((r) => ({
        meter: r.meter,
        intervalStart: iso(r.intervalStartMs),
        intervalMinutes: r.intervalMinutes,
        kwh: r.kwh,
        oracle: r.oracle,
        received: iso(r.receivedMs),
      })),
    }),
  }),
  route({
    method: 'GET',
    path: '/v1/events',
    scope: 'events:read',
    tag: 'audit',
    summary: "The engine's event log, every event in sequence order (auditors)",
    query: s.eventsQuery,
    response: s.eventsResponse,
    handler: async ({ query, deps }) => ({
      events: (
        await deps.repo.events({
          fromSeq: query.fromSeq,
          limit: query.limit,
          ...(query.type !== undefined ? { types: [query.type] } : {}),
        })
      ).map((e) => ({
        seq: e.seq,
        time: iso(e.t),
        type: e.type,
        actor: e.actor,
        ...(e.to ? { to: e.to } : {}),
        payload: e.payload,
      })),
    }),
  }),
  route({
    method: 'GET',
    path: '/v1/clients',
    scope: 'clients:admin',
    tag: 'clients',
    summary: 'The API clients, revoked ones too',
    response: s.clientsResponse,
    handler: async ({ deps }) => ({ clients: (await deps.repo.clients()).map(publicClient) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients',
    scope: 'clients:admin',
    tag: 'clients',
    summary: 'Registers a client; its secret is in this answer only',
    body: s.clientRequest,
    response: s.clientCreated,
    status: 201,
    handler: async ({ body, deps }) => {
      try {
        const { client, clientSecret } = await addClient(deps.repo, body);
        return { ...publicClient(client), clientSecret };
      } catch (e) {
        const field = (e as { details?: { field?: string } }).details?.field;
        if (field) throw new ApiError(409, 'Client refused', (e as Error).message, { field, cause: e });
        throw e;
      }
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/clients/{clientId}',
    scope: 'clients:admin',
    tag: 'clients',
    summary: 'Revokes a client: its tokens are refused from its next request on',
    params: s.clientParams,
    response: s.clientView,
    handler: async ({ params, deps }) => {
      if (!(await deps.repo.revokeClient(params.clientId, Date.now())))
        throw notFound('clientId', `no client ${params.clientId}`);
      deps.tokens.noteRevoked(params.clientId);
      return publicClient((await deps.repo.client(params.clientId))!);
    },
  }),
  ...DEVICE_ROUTES,
];
