import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The residential example feeder written by scripts/make-residential-feeder.mjs, solved end to end.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = 'examples/feeders/gridtier-residential';

interface Voltage {
  bus: string;
  phase: number;
  vmagV: number;
  vmagPu: number;
  angleDeg: number;
}
interface PfJson {
  converged: boolean;
  iterations: number;
  lossesKw: number;
  voltages: Voltage[];
  taps: Record<string, number>;
  capacitors: Record<string, number[]>;
  warnings: unknown[];
}
interface Prosumer {
  id: string;
  kind: 'residential' | 'commercial';
  bus: string;
  phases: number[];
  microgrid: string;
  vpp: string;
}
interface DerInventory {
  seed: number;
  prosumers: Prosumer[];
  microgrids: { id: string; vpp: string; members: string[] }[];
  vpps: { id: string; microgrids: string[] }[];
}

describe('gridtier-residential example feeder', () => {
  let pf: PfJson;
  let der: DerInventory;

  beforeAll(() => {
    const r = spawnSync(
      process.execPath,
      ['packages/cli/dist/main.js', 'pf', '--feeder', `${dir}/master.dss`, '--format', 'json'],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, r.stderr).toBe(0);
    pf = JSON.parse(r.stdout);
    der = JSON.parse(readFileSync(join(root, dir, 'der.json'), 'utf8'));
  });

  it('converges at base load with the regulators and both capacitor controls in place', () => {
    expect(pf.converged).toBe(true);
    expect(pf.warnings).toEqual([]);
    expect(pf.lossesKw).toBeGreaterThan(0);
    expect(Object.keys(pf.taps).sort()).toEqual(['ltc', 'reg_a', 'reg_b', 'reg_c']);
    expect(Object.keys(pf.capacitors)).toHaveLength(2);
  });

  it('has 100 to 300 buses, every node between 0.92 and 1.06 pu', () => {
    const buses = new Set(pf.voltages.map((v) => v.bus));
    expect(buses.size).toBeGreaterThanOrEqual(100);
    expect(buses.size).toBeLessThanOrEqual(300);
    const pu = pf.voltages.map((v) => v.vmagPu);
    expect(Math.min(...pu)).toBeGreaterThanOrEqual(0.92);
    expect(Math.max(...pu)).toBeLessThanOrEqual(1.06);
  });

  it('places every prosumer of der.json on a solved bus and node', () => {
    expect(der.prosumers.length).toBeGreaterThanOrEqual(300);
    expect(der.prosumers.length).toBeLessThanOrEqual(600);
    const nodes = new Set(pf.voltages.map((v) => `${v.bus}.${v.phase}`));
    const buses = new Set(pf.voltages.map((v) => v.bus));
    for (const p of der.prosumers) {
      expect(buses.has(p.bus), `${p.id} at ${p.bus}`).toBe(true);
      for (const ph of p.phases) expect(nodes.has(`${p.bus}.${ph}`), `${p.id} at ${p.bus}.${ph}`).toBe(true);
    }
    expect(new Set(der.prosumers.map((p) => p.id)).size).toBe(der.prosumers.length);
  });

  it('groups each prosumer in exactly one microgrid, each microgrid in one VPP', () => {
    const members = der.microgrids.flatMap((m) => m.members);
    expect(members.sort()).toEqual(der.prosumers.map((p) => p.id).sort());
    const byId = new Map(der.prosumers.map((p) => [p.id, p]));
    for (const m of der.microgrids) for (const id of m.members) expect(byId.get(id)?.microgrid).toBe(m.id);
    const inVpps = der.vpps.flatMap((v) => v.microgrids);
    expect(inVpps.sort()).toEqual(der.microgrids.map((m) => m.id).sort());
  });
});
