import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { addClient } from '../auth/index.js';
import type { RunningServer } from '../server.js';
import type { Role } from '../store/index.js';

/** The OpenADR 3.1 specification's OpenAPI document, from the reference data beside the repository. */
export const SPEC_PATH = fileURLToPath(
  new URL('../../../../../shared/specs/openadr3/openadr3.yaml', import.meta.url),
);

const METHODS = ['get', 'post', 'put', 'delete'] as const;
const STANDARD_PROBLEMS = [400, 401, 403, 404, 409, 500];

type Json = Record<string, unknown>;

/**
 * Validates responses against openadr3.yaml with Ajv (JSON Schema, with ajv-formats for
 * date-time and uri): the spec's own schemas, read at test time, not a copy of them.
 *
 * One defect of the spec is mended first, and only for validation: `ven` is allOf
 * objectMetadata (objectType one of PROGRAM … RESOURCE) and BlVenRequest (objectType
 * BL_VEN_REQUEST), which no object can satisfy; likewise `resource`. The metadata's
 * objectType (VEN, RESOURCE) is what the VTN returns, so the request's discriminator is dropped
 * from the response schemas. Everything else is the spec as written, with OpenAPI 3.0's boolean
 * exclusiveMaximum/exclusiveMinimum read as JSON Schema's numbers (as OpenAPI 3.0 means them).
 */
export class OpenAdrSpec {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();
  readonly doc: Json;

  constructor(text: string) {
    this.doc = fromOpenApi30(parse(text)) as Json;
    const schemas = (this.doc.components as Json).schemas as Record<string, Json>;
    for (const [object, request] of [
      ['ven', 'BlVenRequest'],
      ['resource', 'BlResourceRequest'],
    ] as const) {
      const req = structuredClone(schemas[request]) as { properties: Json; required: string[] };
      delete req.properties.objectType;
      req.required = req.required.filter((x) => x !== 'objectType');
      schemas[object] = { ...schemas[object], allOf: [{ $ref: '#/components/schemas/objectMetadata' }, req] };
    }
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31,
    });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addSchema(this.doc, 'openadr3');
  }

  static load(): OpenAdrSpec | undefined {
    return existsSync(SPEC_PATH) ? new OpenAdrSpec(readFileSync(SPEC_PATH, 'utf8')) : undefined;
  }

  /** Every operation the spec defines, as `METHOD /path`. */
  operations(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.doc.paths as Record<string, Json>))
      for (const m of METHODS) if (item[m] !== undefined) out.push(`${m.toUpperCase()} ${path}`);
    return out;
  }

  /** The scopes the spec's security section asks of an operation. */
  scopes(method: string, path: string): string[] {
    const op = this.operation(method, path);
    const sec = (op.security ?? []) as Record<string, string[]>[];
    return sec.flatMap((x) => x.oAuth2ClientCredentials ?? []);
  }

  private operation(method: string, path: string): Json {
    const item = (this.doc.paths as Record<string, Json>)[path];
    const op = item?.[method.toLowerCase()] as Json | undefined;
    if (op === undefined) throw new Error(`the spec has no ${method} ${path}`);
    return op;
  }

  /**
   * The problems with a response to `method path` (the spec's path template): its status must be
   * one the operation declares and its body must match that status's schema. Empty when it conforms.
   */
  check(
    method: string,
    path: string,
    status: number,
    body: unknown,
    contentType = 'application/json',
  ): string[] {
    const responses = this.operation(method, path).responses as Record<string, Json>;
    let response = responses[String(status)];
    // the Definition's standard codes (its "Response Codes and Errors") carry a problem on every
    // operation, also where an operation's own list leaves them out (GET /notifiers lists only 200)
    if (response === undefined && STANDARD_PROBLEMS.includes(status))
      response = { $ref: '#/components/responses/badRequest' };
    if (response === undefined) return [`${method} ${path}: status ${status} is not one the spec declares`];
    let pointer = `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${status}`;
    if (typeof response.$ref === 'string') {
      pointer = response.$ref;
      response = (this.doc.components as Record<string, Record<string, Json>>).responses[
        pointer.split('/').pop()!
      ];
    }
    const content = response.content as Record<string, unknown> | undefined;
    if (content === undefined) return [];
    if (!contentType.startsWith('application/json'))
      return [`${method} ${path} ${status}: content-type ${contentType}, the spec says application/json`];
    const ref = `openadr3${pointer}/content/application~1json/schema`;
    let validate = this.cache.get(ref);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${method} ${path} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** Checks a notification a webhook received against the spec's `notification` schema. */
  checkNotification(body: unknown): string[] {
    const ref = 'openadr3#/components/schemas/notification';
    let validate = this.cache.get(ref);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `notification: ${e.instancePath || '(body)'} ${e.message}`);
  }
}

/** OpenAPI 3.0's `maximum: 600, exclusiveMaximum: true` is JSON Schema's `exclusiveMaximum: 600`. */
function fromOpenApi30(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromOpenApi30);
  if (v === null || typeof v !== 'object') return v;
  const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromOpenApi30(x)])) as Json;
  for (const [exclusive, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const)
    if (typeof o[exclusive] === 'boolean') {
      if (o[exclusive]) o[exclusive] = o[bound];
      else delete o[exclusive];
      if (o[exclusive] !== undefined) delete o[bound];
    }
  return o;
}

export interface AdrResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * A client of the VTN for tests: every answer is checked against the spec and the problems
 * collected in `violations`, so a test ends by expecting it empty.
 */
export class VtnClient {
  readonly violations: string[] = [];
  /** the operations this client has called, with each status seen */
  readonly seen = new Set<string>();
  token = '';

  constructor(
    readonly server: RunningServer,
    readonly spec: OpenAdrSpec,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async of(
    server: RunningServer,
    spec: OpenAdrSpec,
    name: string,
    role: Role,
    scope?: string,
  ): Promise<VtnClient> {
    const { client, clientSecret } = await addClient(server.repo, { name, role });
    const c = new VtnClient(server, spec, client.id, clientSecret);
    const r = await c.tokenFor(scope);
    if (r.status !== 200) throw new Error(`no token for ${name}: ${JSON.stringify(r.body)}`);
    c.token = (r.body as { access_token: string }).access_token;
    return c;
  }

  async tokenFor(scope?: string): Promise<AdrResponse> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.clientSecret,
      ...(scope !== undefined ? { scope } : {}),
    });
    const res = await fetch(`${this.server.url}/openadr3/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    return this.record('POST', '/auth/token', res);
  }

  /**
   * Calls `method template` with the template's {names} filled from `ids` (and a query string),
   * checking the answer against the spec.
   */
  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    template: string,
    options: { ids?: Record<string, string>; query?: string; body?: unknown; token?: string | null } = {},
  ): Promise<AdrResponse<T>> {
    const path = template.replace(/\{(\w+)\}/g, (_m, k: string) =>
      encodeURIComponent(options.ids?.[k] ?? 'none'),
    );
    const token = options.token === undefined ? this.token : options.token;
    const res = await fetch(`${this.server.url}/openadr3${path}${options.query ? `?${options.query}` : ''}`, {
      method,
      headers: {
        ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return this.record(method, template, res) as Promise<AdrResponse<T>>;
  }

  private async record(method: string, template: string, res: Response): Promise<AdrResponse> {
    const text = await res.text();
    const body = text === '' ? undefined : JSON.parse(text);
    this.seen.add(`${method} ${template} ${res.status}`);
    this.violations.push(
      ...this.spec.check(method, template, res.status, body, res.headers.get('content-type') ?? ''),
    );
    return { status: res.status, body };
  }
}
