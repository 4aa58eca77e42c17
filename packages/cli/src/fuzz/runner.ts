/**
 * Runs one fuzz case: makes its folder and files, snapshots the folder, runs the command line in a
 * worker thread under a time limit, snapshots again and judges the run. The worker is replaced
 * after a crash, a timeout, and every so many cases (so one case's memory cannot mask another's).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CASE, type FileContent, FURNITURE, type FuzzCase } from './cases.js';
import { judge, type RunReport, type Snapshot } from './oracle.js';
import type { CaseAnswer } from './worker.js';

export interface Verdict {
  fuzzCase: FuzzCase;
  report: RunReport;
  problems: string[];
}

const CASES_PER_WORKER = 1000;

/** The case's folder as a map of relative path → content digest. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = statSync(p);
      if (s.isDirectory()) {
        out.set(r, 'dir');
        walk(p, r);
      } else out.set(r, createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir, '');
  return out;
}

function materialize(dir: string, files: Readonly<Record<string, FileContent>>): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries({ ...FURNITURE, ...files })) {
    const p = join(dir, rel);
    if (content === null) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
}

export class CaseRunner {
  private worker: Worker | undefined;
  private used = 0;
  private next = 0;

  constructor(
    private readonly workerUrl: URL,
    private readonly timeLimitMs: number,
  ) {}

  /** Runs the case in `dir` (made, and removed afterwards). */
  async run(fuzzCase: FuzzCase, dir: string, timeLimitMs = this.timeLimitMs): Promise<Verdict> {
    rmSync(dir, { recursive: true, force: true });
    materialize(dir, fuzzCase.files);
    const before: Snapshot = snapshot(dir);
    const argv = fuzzCase.argv.map((w) => w.split(CASE).join(dir));
    const raw = await this.answer(argv, timeLimitMs);
    const report = {
      ...raw,
      stdout: raw.stdout.split(dir).join(CASE),
      stderr: raw.stderr.split(dir).join(CASE),
    };
    const problems = judge(fuzzCase.argv, report, before, snapshot(dir));
    rmSync(dir, { recursive: true, force: true });
    return { fuzzCase, report, problems };
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    const env = { ...process.env };
    // a case must never reach a real chain with a real key
    delete env.GRIDTIER_CHAIN_KEY;
    this.worker = new Worker(this.workerUrl, { env, stdout: true, stderr: true });
    // a command writes through its Io; anything on the thread's own streams is dropped
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.used = 0;
    return this.worker;
  }

  private answer(argv: string[], timeLimitMs: number): Promise<RunReport> {
    if (!this.worker || this.used >= CASES_PER_WORKER) {
      void this.worker?.terminate();
      this.start();
    }
    const worker = this.worker as Worker;
    this.used++;
    const id = this.next++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const done = (r: RunReport, replace: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replace) {
          void worker.terminate();
          if (this.worker === worker) this.worker = undefined;
        }
        resolve(r);
      };
      const failed = (outcome: 'crash' | 'timeout', crash?: string): RunReport => ({
        code: -1,
        outcome,
        stdout: '',
        stderr: '',
        stack: false,
        ms: performance.now() - t0,
        crash,
      });
      const onMessage = (a: CaseAnswer) => {
        if (a.id === id) done(a, false);
      };
      const onError = (e: Error) => done(failed('crash', `${e.name}: ${e.message}`), true);
      const onExit = (code: number) => done(failed('crash', `the worker exited (${code})`), true);
      const timer = setTimeout(() => done(failed('timeout'), true), timeLimitMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, argv });
    });
  }
}
