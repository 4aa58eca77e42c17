#!/usr/bin/env node
/**
 * `npm run fuzz -- --count N --seed S`: a fuzz campaign over every command of gridtier. Cases are
 * drawn by fast-check from the commands' declarations and seeds (cases.ts), each is run in-process
 * in a worker thread under a time limit (runner.ts) and judged against the README's promises
 * (oracle.ts). A campaign runs all its cases and reports each distinct failure once, with the
 * seed and path that replay it; `--stop` ends at the first failure and shrinks it to a smallest
 * case, and `--seed S --path P --stop` replays and shrinks one reported case.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { commands } from '../commands/index.js';
import { leafCommands } from '../framework/help.js';
import { repositoryRoot, sharedDir } from '../repository.js';
import { type FuzzCase, fuzzCase } from './cases.js';
import { buildCorpus } from './corpus.js';
import { signature } from './oracle.js';
import { CaseRunner, type Verdict } from './runner.js';

const USAGE = `Usage: npm run fuzz -- [--count N] [--seed N] [--jobs N] [--minutes M] [--time-limit SECONDS] [--stop] [--path P] [--json] [--keep DIR]
  --count N          cases in all (default 1000)
  --seed N           the seed of the first job; job j uses seed + j (default: drawn and printed)
  --jobs N           cases run side by side, each job in its own worker thread (default 1)
  --minutes M        end the campaign after M minutes even if fewer than N cases ran
  --time-limit S     a case that runs longer is run again with 5× the time; a hang if it overruns that too (default 60)
  --stop             end at the first failure and shrink it to a smallest case
  --path P           with --seed and --stop: replay the case a campaign reported, and shrink it
  --json             the summary as JSON on standard output
  --keep DIR         where failing cases are saved (default out/fuzz)`;

/** How much longer than the time limit a case that overran it gets when it is run again. */
const SLOW_FACTOR = 5;

interface Failure {
  signature: string;
  count: number;
  replay: string;
  problems: string[];
  argv: readonly string[];
  stderr: string;
  saved: string;
}

interface Summary {
  seed: number;
  cases: number;
  byCommand: Record<
    string,
    { cases: number; exit: Record<string, number>; medianMs: number; meanMs: number; maxMs: number }
  >;
  hangs: number;
  /** cases over the time limit that ended within SLOW_FACTOR times it when run again: slow, not hung */
  slow: { argv: readonly string[]; ms: number }[];
  crashes: number;
  failures: Failure[];
  seconds: number;
  /** the process's CPU time (every thread) per case, and wall time per case */
  cpuMsPerCase: number;
  wallMsPerCase: number;
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        count: { type: 'string', default: '1000' },
        seed: { type: 'string' },
        jobs: { type: 'string', default: '1' },
        minutes: { type: 'string' },
        'time-limit': { type: 'string', default: '60' },
        stop: { type: 'boolean', default: false },
        path: { type: 'string' },
        json: { type: 'boolean', default: false },
        keep: { type: 'string', default: join(repositoryRoot, 'out', 'fuzz') },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    const int = (name: string, v: string, min: number) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min)
        throw new Error(`--${name} must be a whole number ≥ ${min}, not "${v}"`);
      return n;
    };
    return {
      help: values.help,
      count: int('count', values.count, 1),
      seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int('seed', values.seed, 0),
      jobs: int('jobs', values.jobs, 1),
      minutes: values.minutes === undefined ? undefined : int('minutes', values.minutes, 1),
      timeLimitMs: int('time-limit', values['time-limit'], 1) * 1000,
      stop: values.stop || values.path !== undefined,
      path: values.path,
      json: values.json,
      keep: resolve(values.keep),
    };
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[s.length >> 1];
};

/** A failing case saved as files, so it can be looked at and run by hand. */
function save(dir: string, v: Verdict, replay: string): void {
  mkdirSync(join(dir, 'files'), { recursive: true });
  for (const [rel, content] of Object.entries(v.fuzzCase.files)) {
    const p = join(dir, 'files', rel);
    if (content === null) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, content);
    }
  }
  writeFileSync(
    join(dir, 'case.json'),
    JSON.stringify({ argv: v.fuzzCase.argv, problems: v.problems, replay, report: v.report }, null, 2),
  );
}

async function main() {
  const o = parse();
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const shared = sharedDir();
  const corpora = buildCorpus(leafCommands(commands), repositoryRoot, shared.found ? shared.path : undefined);
  const arbitrary = fuzzCase(corpora);
  const base = mkdtempSync(join(tmpdir(), 'gridtier-fuzz-'));
  // relative paths in a case (a default such as out/server, a drawn word taken as a folder) are
  // made in the campaign's own folder, never in the repository or the folder it was started from
  process.chdir(base);
  const workerUrl = new URL('./worker.js', import.meta.url);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const verdicts = new Map<string, { exit: Record<string, number>; ms: number[] }>();
  const failures = new Map<string, Failure>();
  let cases = 0;
  let hangs = 0;
  const slow: Summary['slow'] = [];
  let crashes = 0;
  let shrunk: string | undefined;

  const record = (v: Verdict, seed: number, index: number) => {
    cases++;
    const s = verdicts.get(v.fuzzCase.label) ?? { exit: {}, ms: [] };
    const key =
      v.report.outcome === 'timeout' || v.report.outcome === 'crash'
        ? v.report.outcome
        : String(v.report.code);
    s.exit[key] = (s.exit[key] ?? 0) + 1;
    s.ms.push(v.report.ms);
    verdicts.set(v.fuzzCase.label, s);
    if (v.report.outcome === 'timeout') hangs++;
    if (v.report.outcome === 'crash' || v.report.outcome === 'internal') crashes++;
    for (const problem of v.problems) {
      const sig = signature(v.fuzzCase.label, problem);
      const f = failures.get(sig);
      if (f) {
        f.count++;
        continue;
      }
      const saved = join(o.keep, `failure-${failures.size + 1}`);
      const replay = `npm run fuzz -- --seed ${seed} --path ${index} --stop`;
      rmSync(saved, { recursive: true, force: true });
      save(saved, v, replay);
      failures.set(sig, {
        signature: sig,
        count: 1,
        replay,
        problems: v.problems,
        argv: v.fuzzCase.argv,
        stderr: v.report.stderr.slice(0, 2000),
        saved,
      });
    }
    if (!o.json && cases % (o.count >= 10_000 ? 1000 : 100) === 0)
      process.stderr.write(
        `fuzz: ${cases} cases, ${failures.size} distinct failures, ${Math.round((performance.now() - t0) / 1000)} s\n`,
      );
  };

  const job = async (j: number, numRuns: number) => {
    const runner = new CaseRunner(workerUrl, o.timeLimitMs);
    const seed = o.seed + j;
    let index = 0;
    let shrinking = false;
    // an interrupted campaign (--minutes) ends without waiting for the case in flight: its worker
    // is stopped and the stopped case is not counted
    let over = false;
    try {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (c: FuzzCase) => {
          let v = await runner.run(c, join(base, `job-${j}`));
          // over the limit: run once more with SLOW_FACTOR times the time, to tell a hang from a
          // heavy valid run (a day's simulation, an example's workload) on a busy machine
          if (v.report.outcome === 'timeout') {
            const again = await runner.run(c, join(base, `job-${j}`), o.timeLimitMs * SLOW_FACTOR);
            if (again.report.outcome !== 'timeout') {
              slow.push({ argv: c.argv, ms: Math.round(again.report.ms) });
              v = again;
            }
          }
          // the cases tried while shrinking a failure are not counted
          if (!shrinking && !over) record(v, seed, index++);
          if (o.stop && v.problems.length > 0) shrinking = true;
          return !(o.stop && v.problems.length > 0);
        }),
        {
          seed,
          numRuns,
          path: o.path,
          endOnFailure: false,
          verbose: o.stop ? 1 : 0,
          interruptAfterTimeLimit: o.minutes === undefined ? undefined : o.minutes * 60_000,
          markInterruptAsFailure: false,
        },
      );
    } catch (e) {
      shrunk = (e as Error).message;
    } finally {
      over = true;
      await runner.close();
    }
  };
  const jobs = o.path ? 1 : Math.min(o.jobs, o.count);
  await Promise.all(
    Array.from({ length: jobs }, (_, j) => job(j, Math.floor(o.count / jobs) + (j < o.count % jobs ? 1 : 0))),
  );
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  process.chdir(tmpdir());
  rmSync(base, { recursive: true, force: true });

  const summary: Summary = {
    seed: o.seed,
    cases,
    byCommand: Object.fromEntries(
      [...verdicts].map(([label, s]) => [
        label,
        {
          cases: s.ms.length,
          exit: s.exit,
          medianMs: Math.round(median(s.ms)),
          meanMs: Math.round(s.ms.reduce((a, b) => a + b, 0) / s.ms.length),
          maxMs: Math.round(Math.max(...s.ms)),
        },
      ]),
    ),
    hangs,
    slow,
    crashes,
    failures: [...failures.values()],
    seconds: Math.round(wallMs / 1000),
    cpuMsPerCase: Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, cases)),
    wallMsPerCase: Math.round(wallMs / Math.max(1, cases)),
  };
  if (o.json) writeSync(1, `${JSON.stringify(summary, null, 2)}\n`);
  else printSummary(summary, jobs);
  if (shrunk) writeSync(2, `\n${shrunk}\n`);
  // a worker stopped at its time limit inside a system call (a loop in native code) cannot be
  // terminated and would keep the process alive: the campaign ends here
  process.exit(summary.failures.length > 0 || shrunk ? 1 : 0);
}

function printSummary(s: Summary, jobs: number): void {
  const lines = [
    `fuzz: ${s.cases} cases in ${s.seconds} s (seed ${s.seed}${jobs > 1 ? `…${s.seed + jobs - 1}, ${jobs} jobs` : ''}): ${s.wallMsPerCase} ms a case, ${s.cpuMsPerCase} ms of CPU`,
    `  hangs: ${s.hangs}, slow (ended when run again with ${SLOW_FACTOR}× the time limit): ${s.slow.length}, crashes and internal errors: ${s.crashes}, distinct failures: ${s.failures.length}`,
    ...s.slow.slice(0, 10).map((x) => `    slow: ${Math.round(x.ms / 1000)} s: gridtier ${x.argv.join(' ')}`),
    '  command            cases  median ms  mean ms  max ms  exit codes',
  ];
  for (const [label, c] of Object.entries(s.byCommand).sort())
    lines.push(
      `  ${label.padEnd(18)} ${String(c.cases).padStart(5)}  ${String(c.medianMs).padStart(9)}  ${String(c.meanMs).padStart(7)}  ${String(c.maxMs).padStart(6)}  ${Object.entries(
        c.exit,
      )
        .map(([k, n]) => `${k}×${n}`)
        .join(' ')}`,
    );
  for (const f of s.failures)
    lines.push(
      '',
      `FAILURE ×${f.count}: ${f.signature}`,
      `  gridtier ${f.argv.map((w) => (/^[\w./{}=:-]+$/.test(w) ? w : JSON.stringify(w))).join(' ')}`,
      ...f.problems.map((p) => `  - ${p}`),
      `  stderr: ${f.stderr.split('\n').slice(0, 4).join('\n          ')}`,
      `  saved in ${f.saved}; replay: ${f.replay}`,
    );
  writeSync(1, `${lines.join('\n')}\n`);
}

await main();
