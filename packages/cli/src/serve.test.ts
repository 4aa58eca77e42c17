// `gridtier serve --feeder`: any OpenDSS script served live, its day's markets and agents on the
// script's own buses — as a user starts it, in a child process, read back over the API.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'packages/cli/dist/main.js');
const demo = join(root, 'examples/feeders/gridtier-demo/master.dss');
const dir = mkdtempSync(join(tmpdir(), 'gridtier-serve-'));
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** the buses the demo script's loads sit on (bus names before any phase suffix, lower case) */
function loadBuses(): Set<string> {
  const loads = readFileSync(join(root, 'examples/feeders/gridtier-demo/loads.dss'), 'utf8');
  return new Set([...loads.matchAll(/bus1=([^\s.]+)/gi)].map((m) => m[1].toLowerCase()));
}

async function started(c: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    c.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe('gridtier serve --feeder', () => {
  it('runs the day of an OpenDSS script live: its day-ahead market clears with DLMPs at the script’s buses', async () => {
    const data = join(dir, 'data');
    const add = spawnSync(
      process.execPath,
      [main, 'clients', 'add', '--role', 'auditor', '--name', 'watch', '--format', 'json', '--data', data],
      { encoding: 'utf8' },
    );
    expect(add.status, add.stderr).toBe(0);
    const { clientId, clientSecret } = JSON.parse(add.stdout) as { clientId: string; clientSecret: string };
    // an hour a second: the day-ahead gate (D-1 11:00) comes a second after the default start
    child = spawn(
      process.execPath,
      [main, 'serve', '--feeder', demo, '--seed', '3', '--clock', 'x3600', '--port', '0', '--data', data],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await started(child);
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const get = (path: string) =>
      fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token.access_token}` } }).then((r) =>
        r.json(),
      );
    const markets = (await get('/v1/markets?state=all')) as { sessions: { market: string }[] };
    expect([...new Set(markets.sessions.map((m) => m.market))]).toEqual(
      expect.arrayContaining(['lem-da', 'lem-rt']),
    );
    let nodes: string[] = [];
    for (let i = 0; i < 120 && nodes.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const body = (await get('/v1/dlmps?market=lem-da')) as { dlmps: { nodes: string[] }[] };
      nodes = body.dlmps.flatMap((d) => d.nodes);
    }
    expect(nodes.length).toBeGreaterThan(0);
    const buses = loadBuses();
    // the DLMPs (per bus.phase) cover the buses the households sit on, and only the script's buses
    const priced = new Set(nodes.map((n) => n.split('.')[0].toLowerCase()));
    for (const b of buses) expect(priced, `bus ${b}`).toContain(b);
    const grid = (await get('/v1/grid')) as { feeder: { buses: { name: string }[] } | null };
    const names = new Set(grid.feeder!.buses.map((b) => b.name.toLowerCase()));
    for (const b of priced) expect(names, `bus ${b}`).toContain(b);
  }, 120_000);

  it('refuses --scenario beside --feeder, and --seed without either, exit 2', () => {
    const scenario = join(root, 'examples/scenarios/residential-day.json');
    const both = spawnSync(process.execPath, [main, 'serve', '--scenario', scenario, '--feeder', demo], {
      encoding: 'utf8',
    });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--scenario FILE\.json or --feeder FILE\.dss, not both/);
    const seed = spawnSync(process.execPath, [main, 'serve', '--seed', '2'], { encoding: 'utf8' });
    expect(seed.status).toBe(2);
    expect(seed.stderr).toMatch(/--seed .* with --scenario or --feeder/);
  });
});
