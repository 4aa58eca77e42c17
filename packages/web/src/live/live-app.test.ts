import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  cliMain,
  hasChromium,
  launch,
  NO_CHROMIUM,
  problemsOf,
  screenshots,
  smallScenario,
} from '../testing/browser.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

interface Client {
  clientId: string;
  clientSecret: string;
}

function addClient(data: string, name: string): Client {
  const r = spawnSync(
    process.execPath,
    [cliMain, 'clients', 'add', '--role', 'prosumer', '--name', name, '--data', data, '--format', 'json'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** `gridtier serve` as a child process; resolves with its URL once it listens. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cliMain, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('exit', (code) => reject(new Error(`gridtier serve exited ${code}: ${err}`)));
  });
}

/** A client's bearer token from the server's OAuth2 endpoint. */
async function tokenOf(url: string, c: Client): Promise<{ access_token: string }> {
  const r = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  });
  return r.json();
}

/** Closes the browser, stops the server and removes its folder, whatever of them was started. */
async function stopAll(
  browser: Browser | undefined,
  server: { child: ChildProcess } | undefined,
  dir: string,
) {
  await browser?.close();
  if (server?.child.exitCode === null) {
    const gone = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await gone;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

async function login(page: Page, c: Client) {
  await page.fill('input[name="clientId"]', c.clientId);
  await page.fill('input[name="clientSecret"]', c.clientSecret);
  await page.click('form[data-form="login"] button');
}

describe.skipIf(!hasChromium)(`the live dashboard in ${CHROMIUM} against gridtier serve`, () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridtier-live-'));
    const scenario = await smallScenario(dir, 30);
    const data = join(dir, 'server');
    alice = addClient(data, 'alice');
    bob = addClient(data, 'bob');
    server = await serve(['--scenario', scenario, '--clock', 'x600', '--data', data, '--port', '0']);
    browser = await launch();
  }, 60_000);

  afterAll(() => stopAll(browser, server, dir));

  it('logs in, maps every bus, shows an order in the book and the trade, and a clearing recolours the map', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    const problems = problemsOf(page);
    await page.goto(server.url);
    await login(page, alice);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 15_000 })
      .toMatch(/alice \(prosumer\)/);

    // every bus of the feeder, as the API's map lists it (the residential feeder has 219)
    await page.waitForSelector('[data-bus]');
    const token = await tokenOf(server.url, alice);
    const map = await (
      await fetch(`${server.url}/v1/grid`, { headers: { authorization: `Bearer ${token.access_token}` } })
    ).json();
    expect(map.feeder.buses).toHaveLength(219);
    expect(await page.locator('[data-bus]').count()).toBe(map.feeder.buses.length);
    expect(
      await page.locator('[data-bus]').evaluateAll((els) => els.map((e) => e.getAttribute('data-bus'))),
    ).toEqual(map.feeder.buses.map((b: { name: string }) => b.name));

    // a clearing of the day-ahead LEM colours the buses by their DLMPs
    const fills = () =>
      page
        .locator('[data-bus]')
        .evaluateAll((els) => new Set(els.map((e) => e.getAttribute('data-value'))).size);
    await expect
      .poll(() => page.locator('#map .note').textContent(), { timeout: 60_000 })
      .toMatch(/DLMPs from lem-da/);
    await expect.poll(fills, { timeout: 15_000 }).toBeGreaterThan(3);
    // the time slider follows the newest state until moved
    expect(await page.locator('#map [data-time]').textContent()).toBe('live');

    // an order: in the book, then a matching one from another participant trades with it
    const options = page.locator('select[data-control="session"] option', { hasText: 'intraday@' });
    await options.last().waitFor({ state: 'attached', timeout: 30_000 });
    const session = await options.last().textContent();
    await page.selectOption('select[data-control="session"]', session!);
    await page.selectOption('select[data-control="side"]', 'buy');
    await page.fill('input[name="price"]', '0.0123');
    await page.fill('input[name="quantity"]', '2.5');
    await page.click('form[data-form="order"] button');
    await expect
      .poll(() => page.locator('[data-table="book"]').textContent(), { timeout: 15_000 })
      .toContain('0.0123');
    await expect
      .poll(() => page.locator('[data-table="orders"]').textContent(), { timeout: 15_000 })
      .toContain('live');
    await page.locator('#markets').screenshot({ path: join(screenshots, 'live-markets-book.png') });

    const other = await browser.newPage();
    await other.goto(server.url);
    await login(other, bob);
    await other
      .locator('select[data-control="session"] option', { hasText: session! })
      .waitFor({ state: 'attached' });
    await other.selectOption('select[data-control="session"]', session!);
    await other.selectOption('select[data-control="side"]', 'sell');
    await other.fill('input[name="price"]', '0.0123');
    await other.fill('input[name="quantity"]', '2.5');
    await other.click('form[data-form="order"] button');
    await expect
      .poll(() => page.locator('[data-table="trades"]').textContent(), { timeout: 15_000 })
      .toContain('0.0123');
    await expect
      .poll(() => page.locator('[data-table="orders"]').textContent(), { timeout: 15_000 })
      .toContain('filled');
    await expect
      .poll(() => page.locator('[data-table="statements"]').textContent(), { timeout: 15_000 })
      .toContain('alice');
    expect(await page.locator('[data-table="statements"]').textContent()).not.toContain('bob');

    for (const id of ['map', 'markets', 'orders', 'statements'])
      await page.locator(`#${id}`).screenshot({ path: join(screenshots, `live-${id}.png`) });
    expect(problems).toEqual([]);
  }, 150_000);
});

describe.skipIf(!hasChromium)(`a call market in the live dashboard in ${CHROMIUM}`, () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridtier-call-'));
    const data = join(dir, 'server');
    alice = addClient(data, 'alice');
    bob = addClient(data, 'bob');
    // a minute a second: a Layer I session takes orders for half a minute, then clears at its gate
    server = await serve(['--clock', 'x60', '--data', data, '--port', '0']);
    browser = await launch();
  }, 60_000);

  afterAll(() => stopAll(browser, server, dir));

  async function order(page: Page, session: string, side: 'buy' | 'sell', price: string) {
    await page
      .locator('select[data-control="session"] option', { hasText: session })
      .waitFor({ state: 'attached', timeout: 15_000 });
    await page.selectOption('select[data-control="session"]', session);
    await page.selectOption('select[data-control="side"]', side);
    await page.fill('input[name="price"]', price);
    await page.fill('input[name="quantity"]', '2');
    await page.click('form[data-form="order"] button');
  }

  it('takes a bid and an ask before the gate, and shows the trade and the fill after it', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    const problems = problemsOf(page);
    await page.goto(server.url);
    await login(page, alice);
    const other = await browser.newPage();
    await other.goto(server.url);
    await login(other, bob);

    // the open Layer I session whose gate is furthest off, with at least 12 s (12 simulated minutes) to go
    const token = await tokenOf(server.url, alice);
    let session = '';
    await expect
      .poll(
        async () => {
          const markets = await (
            await fetch(`${server.url}/v1/markets`, {
              headers: { authorization: `Bearer ${token.access_token}` },
            })
          ).json();
          const now = Date.parse(markets.now);
          const sessions = markets.sessions;
          const open = (sessions as { id: string; market: string; state: string; gate: string }[])
            .filter((x) => x.market === 'layer1' && x.state === 'open')
            .filter((x) => Date.parse(x.gate) - now >= 12 * 60_000)
            .sort((a, b) => Date.parse(b.gate) - Date.parse(a.gate));
          session = open[0]?.id ?? '';
          return session;
        },
        { timeout: 45_000, intervals: [1000] },
      )
      .not.toBe('');

    await order(page, session, 'buy', '0.2');
    await order(other, session, 'sell', '0.1');
    await expect
      .poll(() => page.locator('[data-table="orders"]').textContent(), { timeout: 15_000 })
      .toContain('live');

    // at the gate the call market clears at one price for both (k = 0.5: halfway, 0.15 $/kWh)
    await expect
      .poll(() => page.locator('[data-table="clearings"]').textContent(), { timeout: 60_000 })
      .toContain(session);
    await expect
      .poll(() => page.locator('[data-table="trades"]').textContent(), { timeout: 15_000 })
      .toContain('0.1500');
    expect(await page.locator('[data-table="trades"]').textContent()).toContain(session);
    await expect
      .poll(() => page.locator('[data-table="orders"]').textContent(), { timeout: 15_000 })
      .toContain('filled');
    await page.locator('#markets').screenshot({ path: join(screenshots, 'live-call-market.png') });
    expect(problems).toEqual([]);
  }, 150_000);
});
