// The server is killed with SIGKILL while orders stream in; after a restart every acknowledged
// order is there exactly once, no session cleared twice, and the engine came back to the same
// state (the restart replays the log and checks every event it publishes again).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiProblem, GridTierClient } from '@gridtier/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { addClient } from './auth/index.js';
import { openRepository } from './store/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'packages/cli/dist/main.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Starts `gridtier serve` as a child process and resolves with its URL once it listens. */
function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [main, 'serve', '--data', dir, '--port', '0', '--clock', 'x10', '--start', '2026-07-15T10:00:00Z'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** Resolves with the exit code once the child has exited (at once if it has already). */
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once('exit', r));

describe('kill -9 and restart', () => {
  it('keeps every acknowledged order exactly once and clears no session twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-crash-'));
    dirs.push(dir);
    const repo = await openRepository({ data: dir });
    const creds = await Promise.all(
      ['seller', 'buyer', 'audit'].map((name) =>
        addClient(repo, { name, role: name === 'audit' ? 'auditor' : 'prosumer' }),
      ),
    );
    await repo.close();
    const first = await serve(dir);
    const [seller, buyer] = creds.map((c) => new GridTierClient(first.url, c.client.id, c.clientSecret));
    const session = (await seller.markets({ market: 'intraday' })).sessions[0].id;
    const acked = new Map<string, string>();
    let n = 0;
    let crashed = false;
    const stream = async (who: GridTierClient, side: 'buy' | 'sell') => {
      while (!crashed) {
        const cid = `${side}-${n++}`;
        const market = n % 3 === 0 ? 'layer3' : 'intraday';
        try {
          const ack = await who.submit({
            market,
            ...(market === 'intraday' ? { session } : {}),
            clientOrderId: cid,
            order: {
              side,
              price: side === 'sell' ? 0.1 + (n % 5) / 100 : 0.12 + (n % 4) / 100,
              quantity: 1 + (n % 3),
            },
          });
          acked.set(`${side === 'sell' ? 'seller' : 'buyer'}/${market}/${cid}`, ack.orderId);
        } catch (e) {
          // refused (between two layer3 sessions) or cut off by the crash: neither was acknowledged
          if (!(e instanceof ApiProblem) && !crashed) throw e;
        }
      }
    };
    const streams = [
      stream(seller, 'sell'),
      stream(buyer, 'buy'),
      stream(seller, 'sell'),
      stream(buyer, 'buy'),
    ];
    // at ×10 the layer3 market clears every 30 s; the intraday hour stays open for minutes
    const deadline = Date.now() + 60_000;
    while (acked.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(acked.size).toBeGreaterThan(20);
    first.child.kill('SIGKILL');
    crashed = true;
    await Promise.all(streams);
    await exited(first.child);

    const second = await serve(dir);
    const again = creds.map((c) => new GridTierClient(second.url, c.client.id, c.clientSecret));
    const mine = new Map<string, string>();
    for (const c of again.slice(0, 2))
      for (const o of (await c.orders()).orders) {
        const key = `${o.participant}/${o.market}/${o.clientOrderId}`;
        expect(mine.has(key), `order ${key} listed twice`).toBe(false);
        mine.set(key, o.orderId);
      }
    for (const [key, orderId] of acked) expect(mine.get(key), `acknowledged ${key}`).toBe(orderId);
    // posting an acknowledged order again gives the same order back, not a second one
    const [who, market, cid] = [...acked.keys()][0].split('/');
    const retry = await again[who === 'seller' ? 0 : 1].submit({
      market,
      ...(market === 'intraday' ? { session } : {}),
      clientOrderId: cid,
      order: { side: who === 'seller' ? 'sell' : 'buy', price: 0.1, quantity: 1 },
    });
    expect(retry).toMatchObject({ duplicate: true, orderId: acked.get([...acked.keys()][0]) });
    const cleared = (
      await again[2].request<{ events: { payload: { session: string } }[] }>(
        'GET',
        '/v1/events?type=market.cleared&limit=10000',
      )
    ).events;
    const sessions = cleared.map((e) => e.payload.session);
    expect(new Set(sessions).size).toBe(sessions.length);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 180_000);
});
