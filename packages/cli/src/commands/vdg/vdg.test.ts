import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root, encoding: 'utf8' });
const example = 'examples/vdg/congested-feeder.json';

describe('gridtier vdg', () => {
  it('shows each VDG’s allocation: the homes whole, the EV VDGs curtailed by their bids', () => {
    const r = cli('vdg', '--vdgs', example, '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      importKw: number;
      vdgs: { vdg: string; requestKw: number; allocatedKw: number; curtailedKw: number; usdPerKwh: number }[];
    };
    const by = Object.fromEntries(out.vdgs.map((v) => [v.vdg, v]));
    // homes (priority 1) ask 300 − 60 = 240 kW and get it; 260 kW are left for priority 2:
    // ev-hub bids 0.03 for capacity, ev-depot-2 0.02, so ev-hub takes all 260 of its 500
    expect(by.homes).toMatchObject({ requestKw: 240, allocatedKw: 240, curtailedKw: 0, usdPerKwh: 0.1 });
    expect(by['ev-hub']).toMatchObject({
      requestKw: 500,
      allocatedKw: 260,
      curtailedKw: 240,
      usdPerKwh: 0.18,
    });
    expect(by['ev-depot-2']).toMatchObject({ requestKw: 80, allocatedKw: 0, curtailedKw: 80 });
    expect(out.importKw).toBe(500);
    expect(r.stderr).toMatch(/curtailed: ev-hub, ev-depot-2/);
  });

  it('refuses a bad VDG with the file and field named, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-vdg-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({
          line: { id: 'l', capacityKw: 10 },
          feederUsdPerKwh: 0.1,
          intervalH: 1,
          vdgs: [{ id: 'a', priority: 1.5, capacityBidUsdPerKwh: 0, orders: [] }],
        }),
      );
      const r = cli('vdg', '--vdgs', file);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/bad\.json: vdgs\.0\.priority/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
