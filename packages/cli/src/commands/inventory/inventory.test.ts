import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInventory } from '@gridtier/core/sim';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const main = join(root, 'packages/cli/dist/main.js');
const demo = join(root, 'examples/feeders/gridtier-demo/master.dss');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'gridtier-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gridtier inventory', () => {
  it('writes the inventory a scenario reads, with the shares asked for', () => {
    const out = join(dir, 'inventory.json');
    const r = cli(
      'inventory',
      '--feeder',
      demo,
      '--pv-share',
      '1',
      '--ev-share',
      '0',
      '--seed',
      '5',
      '--format',
      'json',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const inv = parseInventory(doc, out);
    expect(inv.seed).toBe(5);
    expect(inv.prosumers).toHaveLength(12);
    expect(inv.prosumers.every((p) => p.pvKwp > 0 && !p.ev)).toBe(true);
    expect(doc.options).toMatchObject({ pvShare: 1, evShare: 0, batteryShare: 0.15, seed: 5 });
    expect(doc.totals.prosumers).toBe(12);
    // the same options give the same bytes
    const again = join(dir, 'again.json');
    cli(
      'inventory',
      '--feeder',
      demo,
      '--pv-share',
      '1',
      '--ev-share',
      '0',
      '--seed',
      '5',
      '--format',
      'json',
      '--out',
      again,
    );
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('prints a table of the VPPs and their microgrids', () => {
    const r = cli('inventory', '--feeder', demo, '--split-above-kw', '100');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ prosumers \(\d+ residential, \d+ commercial\)/);
    expect(r.stdout).toMatch(/\d+ microgrids in \d+ VPPs/);
    expect(r.stdout).toMatch(/\nvpp\s+microgrid\s+sites/);
  });
});
