// Whole-process start-up of the gridtier command next to Node itself: each command loads only
// what it uses, so `gridtier --help` should cost little more than `node -e 0` and a small power
// flow little more than that. Every case runs once per round, rounds interleaved, so a machine
// busy with other work slows all of them alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchContext, median } from '@gridtier/core';

const main = fileURLToPath(new URL('./main.js', import.meta.url));
const rounds = 11;

interface Case {
  name: string;
  args: string[];
  /** the bound on the ratio to `node -e 0`, where it sets one */
  target?: number;
}

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function bench(ctx: BenchContext) {
  const cases: Case[] = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'gridtier --help', args: [main, '--help'], target: 3 },
    { name: 'gridtier --version', args: [main, '--version'] },
  ];
  const notes: string[] = [];
  const feeders = ctx.sharedDir && join(ctx.sharedDir, 'feeders');
  const scripts: [string, string, number | undefined][] = [
    ['IEEE 13', 'feeders/13Bus/IEEE13Nodeckt.dss', 4],
    ['IEEE 123', 'feeders/123Bus/IEEE123Master.dss', undefined],
    // the feeder's own run sequence (Master.dss, a meter, 20 iterations, Solve)
    ['IEEE 8500', 'reference/opendss/cases/ieee8500.dss', undefined],
  ];
  if (feeders && existsSync(feeders)) {
    for (const [label, rel, target] of scripts) {
      const path = join(ctx.sharedDir!, rel);
      if (existsSync(path))
        cases.push({ name: `gridtier pf ${label}`, args: [main, 'pf', '--feeder', path], target });
    }
  } else notes.push('pf cases skipped: ../shared with the IEEE feeders is absent');
  // one round untimed: the file system cache and the build are warm for every case alike
  for (const c of cases) timeOnce(c.args);
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, c] of cases.entries()) times[i].push(timeOnce(c.args));
  const base = median(times[0]);
  const rows = cases.map((c, i) => {
    const m = median(times[i]);
    const ratio = m / base;
    return [
      c.name,
      String(rounds),
      m.toFixed(1),
      `${Math.min(...times[i]).toFixed(1)}–${Math.max(...times[i]).toFixed(1)}`,
      ratio.toFixed(2),
      c.target === undefined ? '-' : `≤ ${c.target} (${ratio <= c.target ? 'met' : 'NOT met'})`,
    ];
  });
  notes.push(
    'Whole processes (spawn to exit) of the built CLI, medians of interleaved rounds; ratio = median / median of `node -e 0` in the same run.',
  );
  return {
    title: 'gridtier start-up (whole process)',
    columns: ['command', 'runs', 'median ms', 'min–max ms', 'ratio to node -e 0', 'target'],
    rows,
    notes,
  };
}
