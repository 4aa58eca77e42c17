import { z } from 'zod';
import { ROLE_SCOPES, SCOPES } from '../auth/index.js';
import { ROLES } from '../store/index.js';
import type { Route } from './route.js';
import { tokenRequest, tokenResponse } from './schemas.js';

const json = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;

const problem = {
  description: 'A problem (RFC 9457) naming the field at fault',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
          field: { type: 'string' },
        },
        required: ['type', 'title', 'status', 'detail', 'code'],
      },
    },
  },
};

/** Query and path parameters of a route, from its schemas. */
function parameters(r: Route) {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    const js = json(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(js.properties ?? {}))
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        ...(prop.description ? { description: prop.description } : {}),
        schema: prop,
      });
  }
  return out;
}

/** The OpenAPI 3.1 document of the routes, generated from the schemas that validate them. */
export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/oauth/token': {
      post: {
        tags: ['auth'],
        summary: 'OAuth2 client credentials: a short-lived bearer token (JWT) for a client id and secret',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: json(tokenRequest, 'input') },
            'application/json': { schema: json(tokenRequest, 'input') },
          },
        },
        responses: {
          200: {
            description: 'a token',
            content: { 'application/json': { schema: json(tokenResponse, 'output') } },
          },
          400: problem,
          401: problem,
        },
      },
    },
  };
  for (const r of routes) {
    const op: Record<string, unknown> = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      security: [{ bearer: [] }],
      'x-scope': r.scope,
      'x-roles': ROLES.filter((role) => r.scope !== undefined && ROLE_SCOPES[role].includes(r.scope)),
      parameters: parameters(r),
      responses: {
        [r.status ?? 200]: {
          description: 'done',
          content: { 'application/json': { schema: json(r.response, 'output') } },
        },
        400: problem,
        401: problem,
        403: problem,
        404: problem,
        409: problem,
        413: problem,
        422: problem,
        429: problem,
      },
    };
    if (r.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: json(r.body, 'input') } } };
    paths[r.path] ??= {};
    paths[r.path][r.method.toLowerCase()] = op;
  }
  paths['/v1/feed'] = {
    get: {
      tags: ['market data'],
      summary:
        'WebSocket: the events you are entitled to (public market data, your own orders and fills) and book depth, each with its sequence number and the previous one sent to you; also order entry ({op: submit|cancel|replace})',
      security: [{ bearer: [] }],
      'x-scope': 'feed:read',
      responses: { 101: { description: 'switching to WebSocket' }, 401: problem, 403: problem },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'GridTier market platform',
      version,
      description: `Roles and their scopes: ${ROLES.map((r) => `${r} (${ROLE_SCOPES[r].join(', ')})`).join('; ')}. Every scope: ${SCOPES.join(', ')}.`,
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'from POST /oauth/token',
        },
      },
    },
    paths,
  };
}
