import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SolverError, TimeoutError } from '../errors/index.js';
import {
  type LinearModel,
  type LpSolution,
  type LpSolver,
  type SolveOptions,
  type SolveStatus,
  toMps,
} from '../opt/index.js';

export interface CoinSolverOptions {
  /** the executables, as found on PATH unless given */
  clp?: string;
  cbc?: string;
  /** wall-clock limit of one call, after which the process is killed */
  hardLimitSec?: number;
}

/**
 * COIN-OR CLP (LPs) and CBC (MILPs) as native processes behind the LpSolver interface: the
 * path for models the WebAssembly HiGHS cannot hold (it is capped at 2 GiB). Debian ships both
 * (packages coinor-clp, coinor-cbc). The model goes over as an MPS file named by index and the
 * answer comes back in the solvers' binary solution file, so no digit is lost either way; a
 * warm-start basis is not passed (each solve starts cold, as a fresh process does).
 */
export class CoinSolver implements LpSolver {
  readonly name = 'COIN-OR CLP/CBC';
  private readonly clp: string;
  private readonly cbc: string;

  constructor(private readonly options: CoinSolverOptions = {}) {
    this.clp = options.clp ?? 'clp';
    this.cbc = options.cbc ?? 'cbc';
  }

  /** Whether both executables run here. */
  static available(options: CoinSolverOptions = {}): boolean {
    return [options.clp ?? 'clp', options.cbc ?? 'cbc'].every(
      (exe) => spawnSync(exe, ['-quit'], { stdio: 'ignore' }).status === 0,
    );
  }

  async solve(m: LinearModel, options: SolveOptions = {}): Promise<LpSolution> {
    const t0 = performance.now();
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-coin-'));
    try {
      const mps = join(dir, 'model.mps');
      const answer = join(dir, 'solution.bin');
      await writeFile(mps, toMps(m));
      const limits = options.timeLimitSec !== undefined ? ['-sec', String(options.timeLimitSec)] : [];
      const gap = m.isMip && options.mipGap !== undefined ? ['-ratioGap', String(options.mipGap)] : [];
      const exe = m.isMip ? this.cbc : this.clp;
      const log = await this.run(exe, [mps, ...limits, ...gap, '-solve', '-saveSolution', answer]);
      const status = m.isMip ? cbcStatus(log) : clpStatus(log);
      // an infeasible or unbounded model may leave no solution file behind
      const saved = await readFile(answer).catch(() => undefined);
      const sol = saved ? readSolution(saved, m) : noSolution(m);
      return {
        status,
        detail: statusLine(log),
        objective: status === 'optimal' ? sol.objective + m.objectiveOffset : Number.NaN,
        x: sol.x,
        rowValue: sol.rowValue,
        rowDual: m.isMip ? new Float64Array(m.numRows) : sol.rowDual,
        colDual: m.isMip ? new Float64Array(m.numCols) : sol.colDual,
        solveMs: performance.now() - t0,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Nothing outlives a call: each solve's process and files are gone when it returns. */
  async close(): Promise<void> {}

  async write(m: LinearModel, format: 'lp' | 'mps'): Promise<string> {
    if (format === 'lp') throw new SolverError('COIN-OR CLP/CBC write MPS only; ask for format mps');
    return toMps(m);
  }

  /** Runs a solver to its end; its standard output is what tells the status. */
  private run(exe: string, args: string[]): Promise<string> {
    const limitSec = this.options.hardLimitSec ?? 3600;
    return new Promise((resolve, reject) => {
      const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => out.push(b));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new TimeoutError(`${exe} did not finish within ${limitSec} s; it was stopped`, {
            details: { limitSec },
          }),
        );
      }, limitSec * 1000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(
          new SolverError(`${exe} could not be started: ${e.message} (install coinor-clp and coinor-cbc)`, {
            cause: e,
          }),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const log = Buffer.concat(out).toString('utf8');
        if (code !== 0) reject(new SolverError(`${exe} ended with code ${code}: ${log.slice(-500)}`));
        else resolve(log);
      });
    });
  }
}

/** CLP's own words: "Optimal - objective value …", "Primal infeasible - …", "Dual infeasible - …", "Stopped on time - …". */
function clpStatus(log: string): SolveStatus {
  const line = statusLine(log);
  if (/^Optimal/.test(line)) return 'optimal';
  if (/^Primal infeasible/.test(line)) return 'infeasible';
  if (/^Dual infeasible/.test(line)) return 'unbounded';
  if (/^Stopped/.test(line)) return 'limit';
  return 'error';
}

/** CBC ends with "Result - Optimal solution found", "… infeasible", "… unbounded" or "Stopped on …". */
function cbcStatus(log: string): SolveStatus {
  const result = /^Result - (.*)$/m.exec(log)?.[1] ?? '';
  if (/^Optimal/.test(result)) return 'optimal';
  if (/infeasible/i.test(result)) return 'infeasible';
  if (/unbounded/i.test(result)) return 'unbounded';
  if (/Stopped/i.test(result)) return 'limit';
  return 'error';
}

function noSolution(m: LinearModel) {
  const nan = (n: number) => new Float64Array(n).fill(Number.NaN);
  return {
    objective: Number.NaN,
    rowValue: nan(m.numRows),
    rowDual: nan(m.numRows),
    x: nan(m.numCols),
    colDual: nan(m.numCols),
  };
}

function statusLine(log: string): string {
  const lines = log.split('\n').filter((l) => / - objective value|^Result - /.test(l));
  return (lines.at(-1) ?? 'no status').trim();
}

/**
 * The binary solution file CLP and CBC save: row and column counts (int32), the objective, then
 * row activities, row duals, column values and reduced costs (float64, little-endian).
 */
function readSolution(buf: Buffer, m: LinearModel) {
  const rows = buf.readInt32LE(0);
  const cols = buf.readInt32LE(4);
  if (rows !== m.numRows || cols !== m.numCols || buf.length !== 16 + 16 * (rows + cols)) {
    throw new SolverError(
      `the solver's solution has ${rows} rows and ${cols} columns, the model ${m.numRows} and ${m.numCols}`,
    );
  }
  // a copy, aligned for the typed arrays
  const f = new Float64Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + buf.length));
  let at = 1;
  const take = (n: number) => {
    const a = f.slice(at, at + n);
    at += n;
    return a;
  };
  const objective = f[0];
  const rowValue = take(rows);
  const rowDual = take(rows);
  const x = take(cols);
  const colDual = take(cols);
  return { objective, rowValue, rowDual, x, colDual };
}
