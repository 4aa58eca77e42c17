import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import type { OrderAck } from '@gridtier/core/engine';
import { GridTierError } from '@gridtier/core/errors';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Caller, ROLE_SCOPES, type Scope } from '../auth/index.js';
import { ApiError } from '../errors.js';
import { OPENADR_PREFIX, OPENADR_ROUTES, openadrSchemas, RESOURCE_READING_ROUTES } from '../openadr/index.js';
import { docsPage } from './docs-page.js';
import { Feed } from './feed.js';
import { openApiDocument } from './openapi.js';
import { invalidRequest, PROBLEM_TYPE, problemOf, refusal } from './problem.js';
import type { ApiDeps, Route } from './route.js';
import { ROUTES } from './routes.js';
import { orderRequest, tokenRequest } from './schemas.js';

export interface ApiLimits {
  /** the largest request body, bytes (413 beyond) */
  bodyLimitBytes: number;
  /** requests per client (or per address, before a token) per window (429 beyond) */
  rateLimit: number;
  rateWindowMs: number;
}

export const DEFAULT_LIMITS: ApiLimits = { bodyLimitBytes: 64 * 1024, rateLimit: 6000, rateWindowMs: 1000 };

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    scope?: Scope;
  }
}

function parse<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  part: 'body' | 'query' | 'params',
) {
  if (!schema) return undefined;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalidRequest(part, r.error);
  return r.data;
}

/** The caller's token: the Authorization header, or `access_token` on a WebSocket upgrade (browsers cannot set headers there). */
function bearer(req: FastifyRequest): string | undefined {
  if (req.headers.authorization !== undefined) return req.headers.authorization;
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  return req.headers.upgrade === 'websocket' && typeof q === 'string' ? `Bearer ${q}` : undefined;
}

function sendProblem(
  reply: FastifyReply,
  e: ApiError,
  instance: string,
  extra: Record<string, unknown> = {},
) {
  // OpenADR's OpenAPI declares its problems as application/json, and an instance there is an
  // absolute URI: the VTN's answers follow the spec
  if (instance.startsWith(`${OPENADR_PREFIX}/`)) {
    const { instance: _path, ...rest } = problemOf(e, instance);
    return reply
      .code(e.status)
      .type('application/json')
      .send({ ...rest, ...extra });
  }
  return reply
    .code(e.status)
    .type(PROBLEM_TYPE)
    .send({ ...problemOf(e, instance), ...extra });
}

/** What Fastify itself refuses (a body too large or not JSON) as the API's own error. */
function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const f = e as { statusCode?: number; code?: string; message?: string };
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ApiError(413, 'Body too large', `body: larger than the limit (${f.message})`, {
      field: 'body',
      details: { code: 'BODY_TOO_LARGE' },
    });
  if (f.statusCode === 415)
    return new ApiError(415, 'Unsupported media type', `content-type: ${f.message}`, {
      field: 'content-type',
      details: { code: 'MEDIA_TYPE' },
    });
  if (f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500)
    return new ApiError(f.statusCode, 'Bad request', `body: ${f.message ?? 'malformed request'}`, {
      field: 'body',
      details: {
        code:
          f.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError
            ? 'MALFORMED_JSON'
            : 'BAD_REQUEST',
      },
    });
  if (e instanceof GridTierError)
    return new ApiError(422, 'Refused', e.message, {
      field: e.details.field as string | undefined,
      cause: e,
    });
  return new ApiError(
    500,
    'Internal error',
    'the server failed on this request; nothing it had acknowledged is lost',
    {
      cause: e,
      details: { code: 'INTERNAL' },
    },
  );
}

/**
 * The HTTP and WebSocket API on Fastify: chosen for its speed (the order path is a hot loop),
 * its maintained plugins for WebSockets and rate limits, and its hooks, which let one place
 * check every route's token and scope from the route table.
 */
export async function buildApp(
  deps: ApiDeps,
  options: { limits?: Partial<ApiLimits>; version?: string } = {},
): Promise<{ app: FastifyInstance; feed: Feed }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    bodyLimit: limits.bodyLimitBytes,
    logger: false,
    return503OnClosing: true,
    // on close, connections are cut once their request is answered rather than waited for
    forceCloseConnections: true,
  });
  const doc = openApiDocument(
    [...ROUTES, ...OPENADR_ROUTES, ...RESOURCE_READING_ROUTES],
    options.version ?? '0',
  );
  const feed = new Feed(deps.live, deps.markets);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((e, req, reply) => {
    const api = asApiError(e);
    if (api.status >= 500) req.log.error(e);
    const extra =
      req.url.startsWith('/oauth/') || req.url.startsWith(`${OPENADR_PREFIX}/auth/`)
        ? {
            error:
              api.status === 401
                ? 'invalid_client'
                : api.details.code === 'INVALID_SCOPE'
                  ? 'invalid_scope'
                  : 'invalid_request',
          }
        : {};
    return sendProblem(reply, api, req.url, extra);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      new ApiError(404, 'Not found', `no route ${req.method} ${req.url.split('?')[0]}`, { field: 'path' }),
      req.url,
    ),
  );
  // first, so its hooks see a refused upgrade too and close its socket
  await app.register(websocket, {
    options: { maxPayload: limits.bodyLimitBytes },
    // on shutdown feed clients are cut at once (they reconnect and resync), not waited for
    preClose(done) {
      for (const c of this.websocketServer.clients) c.terminate();
      done();
    },
  });
  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config?.scope;
    if (scope === undefined) return;
    const caller = await deps.tokens.verify(bearer(req));
    if (!caller.scopes.has(scope))
      throw new ApiError(
        403,
        'Forbidden',
        `a ${caller.role} has no ${scope} scope for ${req.method} ${req.routeOptions.url}`,
        {
          field: 'scope',
          details: { code: 'FORBIDDEN' },
        },
      );
    req.caller = caller;
  });
  await app.register(rateLimit, {
    max: limits.rateLimit,
    timeWindow: limits.rateWindowMs,
    keyGenerator: (req) => req.caller?.clientId ?? req.ip,
    errorResponseBuilder: (_req, ctx) =>
      new ApiError(
        429,
        'Too many requests',
        `rate limit: ${ctx.max} requests per ${ctx.after}; retry after that`,
        {
          field: 'rate',
          details: { code: 'RATE_LIMITED' },
        },
      ) as unknown as object,
  });

  await serveDashboard(app);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(docsPage(doc)));
  app.get('/health', async () => ({
    status: 'ok',
    seq: deps.live.lastSeq,
    time: new Date(deps.live.now()).toISOString(),
    clock: deps.live.mode,
  }));
  app.post('/oauth/token', async (req, reply) => {
    const body = { ...(req.body as Record<string, unknown> | undefined) };
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
      body.client_id ??= decodeURIComponent(id ?? '');
      body.client_secret ??= decodeURIComponent(secret ?? '');
    }
    const r = parse(tokenRequest, body, 'body')!;
    const { token, client } = await deps.tokens.issue(r.client_id, r.client_secret);
    reply.header('cache-control', 'no-store');
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: deps.tokens.ttlS,
      scope: ROLE_SCOPES[client.role].join(' '),
    };
  });
  // OpenADR 3.1's token endpoint: the same clients and tokens, its scopes narrowed by `scope`
  app.post(`${OPENADR_PREFIX}/auth/token`, async (req, reply) => {
    const body = { ...(req.body as Record<string, unknown> | undefined) };
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
      body.client_id ??= decodeURIComponent(id ?? '');
      body.client_secret ??= decodeURIComponent(secret ?? '');
    }
    const r = parse(openadrSchemas.tokenRequest, body, 'body')!;
    const { token, scopes } = await deps.tokens.issue(r.client_id, r.client_secret, r.scope);
    reply.header('cache-control', 'no-store');
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: deps.tokens.ttlS,
      scope: scopes.join(' '),
    };
  });
  app.get(`${OPENADR_PREFIX}/auth/server`, async (req) => ({
    tokenURL: `${req.protocol}://${req.host}${OPENADR_PREFIX}/auth/token`,
  }));
  for (const r of [...ROUTES, ...OPENADR_ROUTES, ...RESOURCE_READING_ROUTES]) register(app, r, deps);
  app.get('/v1/feed', { websocket: true, config: { scope: 'feed:read' } }, (socket, req) => {
    const sub = feed.add(req.caller!, socket);
    socket.on(
      'message',
      (data) => void orderEntry(deps, req.caller!, String(data)).then((m) => feed.send(sub, m)),
    );
  });
  return { app, feed };
}

/**
 * The dashboard (packages/web's build) at `/`: static files only; the page talks to the API and
 * the feed like any other client, with a token of its own. Without a build, `/` says how to make one.
 */
async function serveDashboard(app: FastifyInstance): Promise<void> {
  let root: string | undefined;
  try {
    root = dirname(fileURLToPath(import.meta.resolve('@gridtier/web/dist/index.html')));
  } catch {
    root = undefined;
  }
  if (root !== undefined && existsSync(`${root}/index.html`)) {
    // the files are listed once at start (no wildcard), so nothing else answers under `/`
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
    return;
  }
  app.get('/', async (req, reply) =>
    sendProblem(
      reply,
      new ApiError(503, 'Dashboard not built', 'the dashboard is built by npm run build (packages/web)', {
        field: 'path',
      }),
      req.url,
    ),
  );
}

function register(app: FastifyInstance, r: Route, deps: ApiDeps): void {
  app.route({
    method: r.method,
    url: r.path.replace(/\{(\w+)\}/g, ':$1'),
    config: { scope: r.scope },
    handler: async (req, reply) => {
      const result = await r.handler({
        caller: req.caller!,
        params: parse(r.params, req.params, 'params'),
        query: parse(r.query, req.query, 'query'),
        body: parse(r.body, req.body, 'body'),
        deps,
      });
      return reply.code(r.status ?? 200).send(result);
    },
  });
}

/**
 * Order entry on the feed's socket: `{op: "submit", ref, market, session, clientOrderId, order}`,
 * `{op: "cancel", ref, orderId}`, `{op: "replace", ref, orderId, order}`; each answered with
 * `{op: "ack", ref, …}` once durable, or `{op: "ack", ref, ok: false, problem}`.
 */
async function orderEntry(deps: ApiDeps, caller: Caller, text: string): Promise<unknown> {
  let ref: unknown;
  try {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, 'Bad request', `message: not JSON (${(e as Error).message})`, {
        field: 'message',
      });
    }
    ref = msg?.ref;
    if (!caller.scopes.has('orders:write'))
      throw new ApiError(403, 'Forbidden', `a ${caller.role} has no orders:write scope`, { field: 'scope' });
    const { op, ref: _r, orderId, ...rest } = msg;
    let ack: OrderAck;
    if (op === 'submit') ack = await deps.live.submit(caller.name, parse(orderRequest, rest, 'body')!);
    else if (op === 'cancel' || op === 'replace') {
      const o = deps.views.order(String(orderId));
      if (!o || o.participant !== caller.name)
        throw new ApiError(404, 'Unknown order', `orderId: no order ${String(orderId)} of yours`, {
          field: 'orderId',
        });
      ack =
        op === 'cancel'
          ? await deps.live.cancel(caller.name, o.market, o.orderId)
          : await deps.live.replace(caller.name, o.market, o.orderId, rest.order);
    } else throw new ApiError(400, 'Bad request', 'op: expected submit, cancel or replace', { field: 'op' });
    if (!ack.ok) throw refusal(ack);
    return {
      op: 'ack',
      ref,
      ok: true,
      orderId: ack.orderId,
      session: ack.session,
      seq: ack.seq,
      duplicate: ack.duplicate ?? false,
    };
  } catch (e) {
    return { op: 'ack', ref, ok: false, problem: problemOf(asApiError(e)) };
  }
}
