import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../http/test-support.js';
import type { RunningServer } from '../server.js';
import { OpenAdrSpec, SPEC_PATH, VtnClient } from './test-support.js';

const spec = OpenAdrSpec.load();
if (!spec) console.warn(`skipping the OpenADR webhook tests: no spec at ${SPEC_PATH}`);

type Obj = Record<string, unknown> & { id: string };

interface Received {
  path: string;
  authorization?: string;
  body: { objectType: string; operation: string; object: Obj };
}

/** A VEN's webhook endpoint: records what it is sent; `/flaky` refuses the first POST it gets. */
function listener(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let refused = false;
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      if (req.url === '/flaky' && !refused) {
        refused = true;
        res.writeHead(503).end();
        return;
      }
      received.push({
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(text),
      });
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    ),
  );
}

describe.skipIf(!spec)('OpenADR subscriptions: webhooks', () => {
  let server: RunningServer;
  let hook: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    hook = await listener();
    server = await testServer({ webhooks: { timeoutMs: 5000, attempts: 3, backoffMs: 20 } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    hook?.server.close();
  });

  it('POSTs a notification to each subscriber allowed to see the object, as the spec’s notification schema says', async () => {
    const bl = await VtnClient.of(server, spec!, 'utility', 'dso');
    const one = await VtnClient.of(server, spec!, 'home-1', 'ven');
    const two = await VtnClient.of(server, spec!, 'home-2', 'ven');
    await bl.call('POST', '/vens', {
      body: {
        objectType: 'BL_VEN_REQUEST',
        clientID: one.clientId,
        venName: 'ven-one',
        targets: ['feeder-1'],
      },
    });
    await bl.call('POST', '/vens', {
      body: {
        objectType: 'BL_VEN_REQUEST',
        clientID: two.clientId,
        venName: 'ven-two',
        targets: ['feeder-2'],
      },
    });
    const program = await bl.call<Obj>('POST', '/programs', { body: { programName: 'hooks' } });
    const subscribe = (c: VtnClient, path: string, token: string) =>
      c.call<Obj>('POST', '/subscriptions', {
        body: {
          clientName: path,
          programID: program.body.id,
          objectOperations: [
            {
              objects: ['EVENT'],
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              callbackUrl: `${hook.url}${path}`,
              bearerToken: token,
            },
          ],
        },
      });
    expect((await subscribe(one, '/one', 'token-one')).status).toBe(201);
    expect((await subscribe(two, '/flaky', 'token-two')).status).toBe(201);

    const toOne = await bl.call<Obj>('POST', '/events', {
      body: { programID: program.body.id, eventName: 'for-one', targets: ['feeder-1', 'hidden'] },
    });
    await bl.call('POST', '/events', { body: { programID: program.body.id, eventName: 'for-all' } });
    await bl.call('PUT', '/events/{eventID}', {
      ids: { eventID: toOne.body.id },
      body: {
        programID: program.body.id,
        eventName: 'for-one',
        priority: 0,
        targets: ['feeder-1', 'hidden'],
      },
    });
    await bl.call('DELETE', '/events/{eventID}', { ids: { eventID: toOne.body.id } });
    await server.openadr.webhooks.idle();

    const at = (path: string) =>
      hook.received
        .filter((r) => r.path === path)
        .map((r) => `${r.body.operation} ${r.body.object.eventName}`);
    expect(at('/one')).toEqual(['CREATE for-one', 'CREATE for-all', 'UPDATE for-one', 'DELETE for-one']);
    // the second VEN is told only of what it may read; its endpoint refused once and was retried
    expect(at('/flaky')).toEqual(['CREATE for-all']);
    expect(server.openadr.webhooks.counts).toMatchObject({ delivered: 5, failed: 0, retried: 1 });
    for (const r of hook.received) {
      expect(spec!.checkNotification(r.body)).toEqual([]);
      expect(r.authorization).toBe(r.path === '/one' ? 'Bearer token-one' : 'Bearer token-two');
    }
    // target hiding holds in notifications too
    expect(hook.received.find((r) => r.path === '/one')?.body.object.targets).toEqual(['feeder-1']);
    // an object of another program is not sent
    const other = await bl.call<Obj>('POST', '/programs', { body: { programName: 'elsewhere' } });
    await bl.call('POST', '/events', { body: { programID: other.body.id, eventName: 'not-sent' } });
    await server.openadr.webhooks.idle();
    expect(at('/one')).toHaveLength(4);
    expect([bl, one, two].flatMap((c) => c.violations)).toEqual([]);
  });

  it('refuses a subscription whose callbackUrl is not an http(s) URL', async () => {
    const ven = await VtnClient.of(server, spec!, 'home-3', 'ven');
    const r = await ven.call<{ detail: string }>('POST', '/subscriptions', {
      body: {
        clientName: 'home-3',
        objectOperations: [{ objects: ['EVENT'], operations: ['CREATE'], callbackUrl: 'file:///etc/passwd' }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('callbackUrl');
    expect(ven.violations).toEqual([]);
  });
});
