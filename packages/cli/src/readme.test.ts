// Every command line the README shows runs as shown, from the repository's root, and succeeds:
// `npm start` and each `npx gridtier …` line of its shell blocks (continuation lines joined).
// Lines that read ../shared are skipped, with their reason, where it is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const hasShared = existsSync(resolve(root, '..', 'shared', 'feeders'));

/** The command lines of the README's sh/bash blocks, comments removed, continuations joined. */
export function commandLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
    const text = block[1].replace(/\\\n\s*/g, ' ');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\s#\s.*$/, '').trim();
      if (line !== '') lines.push(line);
    }
  }
  return lines;
}

const lines = commandLines(readme);
// `npm ci && npm start`: the install is the test run's own; the main job runs
const runnable = lines.flatMap((l) => l.split('&&').map((part) => part.trim()));
const gridtier = runnable.filter((l) => l.startsWith('npx gridtier '));

describe('the README’s command lines', () => {
  it('are all of a kind this test runs', () => {
    const other = runnable.filter((l) => !l.startsWith('npx gridtier ') && !/^npm (ci|start|test)$/.test(l));
    expect(other).toEqual([]);
    expect(gridtier.length).toBeGreaterThan(10);
  });

  it.each(gridtier.map((l) => [l]))(
    '%s',
    (line) => {
      if (line.includes('../shared') && !hasShared) {
        console.log(`skipped (no ../shared beside the repository): ${line}`);
        return;
      }
      // npx resolves the workspace's bin to the same file; calling it directly skips npx's own start-up
      const command = line.replace(/^npx gridtier /, `"${process.execPath}" packages/cli/dist/main.js `);
      const r = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8', timeout: 170_000 });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // what the README's lines write goes under out/, which git ignores
      for (const m of line.matchAll(/--(?:out|report|dump-model) (\S+)/g)) expect(m[1]).toMatch(/^out\//);
    },
    180_000,
  );

  it.runIf(runnable.includes('npm start'))(
    'npm start',
    () => {
      const r = spawnSync('npm', ['start', '--silent'], { cwd: root, encoding: 'utf8', timeout: 170_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(resolve(root, 'out', 'day', 'index.html'))).toBe(true);
    },
    180_000,
  );
});
