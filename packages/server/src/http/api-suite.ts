import { ApiProblem, type GridTierClient } from '@gridtier/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_SCOPES } from '../auth/index.js';
import type { RunningServer, ServeOptions } from '../server.js';
import { ROLES } from '../store/index.js';
import { ROUTES } from './routes.js';
import { clientFor, testServer } from './test-support.js';

/**
 * The API over real HTTP, the same on every store: run against the embedded database and
 * against PostgreSQL by api.test.ts.
 */
export function apiSuite(name: string, store: () => Partial<ServeOptions>): void {
  describe(`the API on ${name}`, () => {
    let server: RunningServer;
    let alice: GridTierClient;
    let bob: GridTierClient;
    let auditor: GridTierClient;
    let session: string;

    beforeAll(async () => {
      server = await testServer({
        ...store(),
        limits: { rateLimit: 200, rateWindowMs: 60_000, bodyLimitBytes: 16 * 1024 },
      });
      alice = await clientFor(server, 'alice', 'prosumer');
      bob = await clientFor(server, 'bob', 'aggregator');
      auditor = await clientFor(server, 'audit', 'auditor');
      const m = await alice.markets({ market: 'intraday' });
      session = m.sessions[0].id;
    }, 120_000);
    afterAll(() => server.close(), 60_000);

    const problem = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof ApiProblem)
          return { status: e.status, field: e.field, code: e.code, detail: e.problem.detail };
        throw e;
      }
      throw new Error('expected a problem');
    };

    describe('the API over HTTP', () => {
      it('lists open sessions with kind, product and gate', async () => {
        const m = await alice.markets();
        const kinds = new Set(m.sessions.map((s) => s.kind));
        expect(kinds).toEqual(new Set(['continuous', 'layer1', 'layer3']));
        for (const s of m.sessions) {
          expect(s.state).toBe('open');
          expect(Date.parse(s.gate)).toBeGreaterThan(Date.parse(s.opens));
        }
      });

      it('takes orders idempotently, trades them and shows each participant only its own', async () => {
        const sell = await alice.submit({
          market: 'intraday',
          session,
          clientOrderId: 'a-1',
          order: { side: 'sell', price: 0.1, quantity: 5 },
        });
        const [b1, b2] = await Promise.all([
          bob.submit({
            market: 'intraday',
            session,
            clientOrderId: 'b-1',
            order: { side: 'buy', price: 0.12, quantity: 2 },
          }),
          bob.submit({
            market: 'intraday',
            session,
            clientOrderId: 'b-1',
            order: { side: 'buy', price: 0.12, quantity: 2 },
          }),
        ]);
        expect(b1.orderId).toBe(b2.orderId);
        expect([b1.duplicate, b2.duplicate].sort()).toEqual([false, true]);
        expect((await alice.order(sell.orderId)).filledKwh).toBeCloseTo(2);
        expect((await bob.fills()).fills.map((f) => f.kwh)).toEqual([-2]);
        expect((await alice.trades('intraday')).trades.map((t) => [t.usdPerKwh, t.kwh])).toEqual([[0.1, 2]]);
        expect((await alice.trades()).trades.map((t) => [t.market, t.usdPerKwh, t.kwh])).toEqual([
          ['intraday', 0.1, 2],
        ]);
        // another participant's order does not exist for bob
        expect(await problem(bob.order(sell.orderId))).toMatchObject({ status: 404, field: 'orderId' });
        expect(await problem(bob.cancel(sell.orderId))).toMatchObject({ status: 404, field: 'orderId' });
        const book = await alice.book('intraday', session);
        expect(book.asks).toEqual([{ price: 0.1, quantity: 3 }]);
        expect(book.seq).toBeGreaterThanOrEqual(b1.seq);
        await alice.replace(sell.orderId, { side: 'sell', price: 0.11, quantity: 1 });
        expect((await alice.book('intraday', session)).asks).toEqual([{ price: 0.11, quantity: 1 }]);
        await alice.cancel(sell.orderId);
        expect((await alice.order(sell.orderId)).status).toBe('cancelled');
        const st = await alice.statements();
        expect(st.statements[0].balance.usd).toBeCloseTo(0.2);
        expect(await problem(alice.statements('bob'))).toMatchObject({ status: 403, field: 'participant' });
        const all = await auditor.statements();
        expect(all.statements.map((x) => x.participant).sort()).toEqual(['alice', 'bob']);
      });

      it('answers bad input with a problem naming the field', async () => {
        const bad = (order: unknown, extra: Record<string, unknown> = {}) =>
          problem(
            alice.request('POST', '/v1/orders', {
              market: 'intraday',
              session,
              clientOrderId: 'x',
              order,
              ...extra,
            }),
          );
        expect(await bad({ side: 'sell', price: 'cheap', quantity: 1 })).toMatchObject({
          status: 422,
          field: 'order.price',
        });
        expect(await bad({ side: 'sell', price: 9, quantity: 1 })).toMatchObject({
          status: 422,
          field: 'order.price',
        });
        expect(await bad({ side: 'sell', price: 0.1, quantity: 1 }, { market: 'nowhere' })).toMatchObject({
          status: 404,
          field: 'market',
        });
        expect(await bad({ side: 'sell', price: 0.1, quantity: 1 }, { clientOrderId: 7 })).toMatchObject({
          status: 400,
          field: 'clientOrderId',
        });
        expect(await bad({ side: 'sell', price: 0.1, quantity: 1 }, { extra: 1 })).toMatchObject({
          status: 400,
        });
        const gated = (await alice.markets({ market: 'layer1', state: 'all' })).sessions;
        expect(gated.length).toBeGreaterThan(0);
        const token = await alice.accessToken();
        const raw = await fetch(`${server.url}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{"market": "intraday", ',
        });
        expect(raw.status).toBe(400);
        expect(raw.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(await raw.json()).toMatchObject({ field: 'body', code: 'MALFORMED_JSON' });
        const big = await fetch(`${server.url}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            market: 'intraday',
            clientOrderId: 'big',
            order: { pad: 'x'.repeat(20_000) },
          }),
        });
        expect(big.status).toBe(413);
        expect(await big.json()).toMatchObject({ field: 'body', code: 'BODY_TOO_LARGE' });
      });

      it('refuses forged, malformed and absent tokens, and a revoked client on its next call', async () => {
        const call = (authorization?: string) =>
          fetch(`${server.url}/v1/markets`, { headers: authorization ? { authorization } : {} }).then(
            async (r) => ({
              status: r.status,
              body: (await r.json()) as { field?: string; detail?: string },
            }),
          );
        expect((await call()).status).toBe(401);
        expect((await call('Basic abc')).status).toBe(401);
        const token = await bob.accessToken();
        const [h, p] = token.split('.');
        const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', scope: 'clients:admin' })).toString('base64url')}.${token.split('.')[2]}`;
        expect(await call(`Bearer ${forged}`)).toMatchObject({
          status: 401,
          body: { field: 'authorization' },
        });
        expect(p.length).toBeGreaterThan(0);
        const victim = await clientFor(server, 'victim', 'prosumer');
        await victim.markets();
        const admin = await clientFor(server, 'root', 'admin');
        const listed = await admin.request<{ clients: { clientId: string; name: string }[] }>(
          'GET',
          '/v1/clients',
        );
        const id = listed.clients.find((c) => c.name === 'victim')!.clientId;
        await admin.request('DELETE', `/v1/clients/${id}`);
        // its token is refused at once; the client asks for a new one and is refused that too
        expect(await problem(victim.markets())).toMatchObject({ status: 401, field: 'client_id' });
        const wrong = await fetch(`${server.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: id,
            client_secret: 'guess',
          }),
        });
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
      });

      it('serves the OpenAPI 3.1 document and a docs page', async () => {
        const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
          openapi: string;
          paths: Record<string, unknown>;
        };
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toContain('/v1/orders/{orderId}');
        const page = await (await fetch(`${server.url}/docs`)).text();
        expect(page).toContain('POST /v1/orders');
      });
    });

    describe('the permission matrix, from the route table', () => {
      it('allows each route to the roles whose scopes hold its scope and refuses it to every other', async () => {
        const clients = await Promise.all(ROLES.map((role) => clientFor(server, `matrix-${role}`, role)));
        const rows: string[] = [];
        for (const r of ROUTES)
          for (const [i, role] of ROLES.entries()) {
            const path =
              r.path.replace(/\{(\w+)\}/g, 'none') +
              (r.query?.safeParse({}).success === false ? '?market=intraday' : '');
            const token = await clients[i].accessToken();
            const res = await fetch(`${server.url}${path}`, {
              method: r.method,
              headers: {
                authorization: `Bearer ${token}`,
                ...(r.body ? { 'content-type': 'application/json' } : {}),
              },
              ...(r.body ? { body: '{}' } : {}),
            });
            const allowed = r.scope !== undefined && ROLE_SCOPES[role].includes(r.scope);
            const refused =
              res.status === 403 && ((await res.json()) as { field?: string }).field === 'scope';
            if (allowed === refused || res.status === 401)
              rows.push(`${r.method} ${r.path} as ${role}: ${res.status}`);
          }
        expect(rows).toEqual([]);
      });

      it('limits each client to its rate and says so with 429 and a problem', async () => {
        // a client that does not retry when told to slow down
        const c = await clientFor(server, 'eager', 'device', { retries: 0 });
        await c.accessToken();
        const statuses = await Promise.all(
          Array.from({ length: 230 }, () =>
            c.markets().then(
              () => 200,
              (e: ApiProblem) => e.status,
            ),
          ),
        );
        expect(statuses.filter((x) => x === 429).length).toBe(30);
        expect(await problem(c.markets())).toMatchObject({ status: 429, field: 'rate' });
        // another client is not held back by it
        await expect(alice.markets()).resolves.toBeDefined();
      });
    });
  });
}
