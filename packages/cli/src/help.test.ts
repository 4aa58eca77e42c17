import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { leafCommands } from './framework/help.js';
import { type AnyCommand, isGroup } from './framework/spec.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root, encoding: 'utf8' });

/** Every command and group path: ["lem"], ["lem", "clear"], ["pf"] … */
function paths(list: readonly AnyCommand[], prefix: string[] = []): string[][] {
  return list.flatMap((c) => [
    [...prefix, c.name],
    ...(isGroup(c) ? paths(c.commands, [...prefix, c.name]) : []),
  ]);
}

describe('gridtier help', () => {
  it.each(paths(commands).map((p) => [p.join(' ')]))('%s --help answers with exit 0', (path) => {
    const r = cli(...path.split(' '), '--help');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^gridtier ${path} — `));
    expect(r.stderr).toBe('');
  });

  it('lists every option of a command, with examples, and every command at the top', () => {
    const top = cli('--help');
    expect(top.status).toBe(0);
    for (const { path, spec } of leafCommands(commands)) {
      expect(top.stdout).toContain(`  ${path.join(' ')} `);
      const help = cli(...path, '-h').stdout;
      for (const name of Object.keys(spec.options)) expect(help).toContain(`--${name}`);
      expect(spec.examples.length, path.join(' ')).toBeGreaterThan(0);
      for (const e of spec.examples) expect(help).toContain(`gridtier ${e.args}`);
    }
  });

  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(`${root}packages/cli/package.json`, 'utf8'));
    expect(cli('--version').stdout).toBe(`gridtier ${version}\n`);
  });

  it('refuses a bare command line and unknown commands with usage, exit 2', () => {
    expect(cli().status).toBe(2);
    const r = cli('simulat');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/did you mean "simulate"/);
  });
});
