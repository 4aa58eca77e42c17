// Defects the fuzz campaign found, each kept as the command line that showed it (with the seed and
// path of the campaign case), run as a user would run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['packages/cli/dist/main.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
const linux = process.platform === 'linux';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridtier-fuzz-regressions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = 'examples/feeders/gridtier-demo';

describe('found by fuzzing', () => {
  it('a solve stopped by --time-limit names the option and writes no model (campaign seed 100)', () => {
    const model = join(dir, 'market.lp');
    const r = cli(
      'lem',
      'clear',
      '--feeder',
      `${demo}/master.dss`,
      '--orders',
      `${demo}/orders-dam.json`,
      '--time-limit',
      '1e-9',
      `--dump-model=${model}`,
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--time-limit 1e-9: the solver did not answer within 1e-9 s/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.runIf(linux)(
    'an input without an end (/dev/zero) is refused at the size limit, not read for ever (seed 1)',
    () => {
      const r = cli('pf', '--feeder', '/dev/zero');
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/\/dev\/zero: larger than the limit of 64 MiB/);
    },
  );

  it.runIf(linux)(
    'a report folder where the file system makes none (/proc) is refused before work, not a hang (seed 1, path 165)',
    () => {
      const out = join(dir, 'existing.out');
      const r = cli('hems', 'simulate', '--days', '1', '--out', out, '--report=/proc/gridtier-fuzz-report');
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/--report \/proc\/gridtier-fuzz-report: cannot write in \/proc/);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('a client id of the wrong shape is refused naming the argument, before the database is opened (seed 1, path 43)', () => {
    const data = join(dir, 'server');
    const r = cli('clients', 'revoke', 'ws://[::1', '--schema=ws://[::1', '--data', data);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^gridtier clients revoke: ID "ws:\/\/\[::1": not a client id/m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a base frequency of 1e308 Hz is refused at its line, not solved into a singular matrix (seed 1, path 5087)', () => {
    const feeder = join(dir, 'feeder.dss');
    writeFileSync(feeder, `Set DefaultBaseFrequency=1e308\nRedirect ${join(root, demo, 'master.dss')}\n`);
    const r = cli('pf', '--feeder', feeder, '--format', 'csv');
    rmSync(feeder);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /feeder\.dss:1: defaultbasefrequency="1e308": must be a frequency between 1 and 1000 Hz/,
    );
    expect(r.stdout).toBe('');
  });

  it('a script line that is only a value ([] or {}4) is refused at its line, not an internal error (seeds 5 and 6)', () => {
    for (const [name, text] of [
      ['feeder.json', '[]'],
      ['feeder.txt', '{}4|{-!j'],
    ]) {
      const feeder = join(dir, name);
      writeFileSync(feeder, text);
      for (const command of ['inventory', 'pf']) {
        const r = cli(command, '--feeder', feeder);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          new RegExp(`${name.replace('.', '\\.')}:1: unknown command: the line begins with a value`),
        );
      }
      rmSync(feeder);
    }
  });
});
