import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root, encoding: 'utf8' });
const demo = 'examples/feeders/gridtier-demo/master.dss';

describe('gridtier pf', () => {
  it('prints one JSON object with the documented fields', () => {
    const r = cli('pf', demo, '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of [
      'converged',
      'iterations',
      'controlIterations',
      'lossesKw',
      'lossesKvar',
      'solveMs',
      'parseMs',
    ])
      expect(out).toHaveProperty(key);
    expect(out.converged).toBe(true);
    expect(Object.keys(out.voltages[0]).sort()).toEqual(['angleDeg', 'bus', 'phase', 'vmagPu', 'vmagV']);
    expect(Object.keys(out.taps)).toEqual(['feeder_reg']);
    expect(out.capacitors).toEqual({ c_mid: [1] });
  });

  it('writes CSV with the OpenDSS export columns, summary beside it', () => {
    const r = cli('pf', demo, '--format', 'csv');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('bus,phase,vmag_v,vmag_pu,angle_deg');
    expect(lines[1].split(',')).toHaveLength(5);
    expect(r.stderr).toMatch(/converged: true/);
  });

  it('names a missing file and exits 1', () => {
    const r = cli('pf', 'no/such/file.dss');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/script file not found: no\/such\/file\.dss/);
  });

  it('rejects a bad format with usage, exit 2', () => {
    const r = cli('pf', demo, '--format', 'xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format must be table, csv or json/);
  });
});
