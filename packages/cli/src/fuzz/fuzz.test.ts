// A short, deterministic fuzz campaign over every command (the long one is `npm run fuzz`): no
// crash, no hang, no stack trace, documented exit codes, refusals that say where, nothing written
// by a failed run. A failure prints the case and the command that replays and shrinks it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { leafCommands } from '../framework/help.js';
import { commandWeight, DEFAULT_WEIGHT } from './cases.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const CASES = 150;
const SEED = 14;

describe('fuzzing gridtier', () => {
  it(`${CASES} cases from seed ${SEED} keep every promise`, () => {
    const r = spawnSync(
      process.execPath,
      ['packages/cli/dist/fuzz/campaign.js', '--count', String(CASES), '--seed', String(SEED), '--json'],
      { cwd: root, encoding: 'utf8', timeout: 280_000 },
    );
    expect(r.status, r.stderr).not.toBeNull();
    const summary = JSON.parse(r.stdout);
    const failures = summary.failures.map(
      (f: { signature: string; argv: string[]; stderr: string; replay: string }) =>
        `${f.signature}\n  gridtier ${f.argv.join(' ')}\n  ${f.stderr.split('\n')[0]}\n  ${f.replay}`,
    );
    expect(failures).toEqual([]);
    expect(r.status).toBe(0);
    expect(summary.cases).toBe(CASES);
    expect(summary.hangs).toBe(0);
    expect(summary.crashes).toBe(0);
    // the draw reaches every command (new ones included) and all three outcomes
    for (const { path } of leafCommands(commands))
      if (commandWeight(path) >= DEFAULT_WEIGHT)
        expect(Object.keys(summary.byCommand)).toContain(path.join(' '));
    const codes = Object.values(summary.byCommand).flatMap((c) => Object.keys((c as { exit: object }).exit));
    for (const code of ['0', '1', '2']) expect(codes).toContain(code);
  }, 300_000);
});
