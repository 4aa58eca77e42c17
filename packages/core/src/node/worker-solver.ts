import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SolverError, TimeoutError } from '../errors/index.js';
import type { LinearModel, LpSolution, LpSolver, SolveOptions } from '../opt/index.js';
import type { SolverReply, SolverRequest } from './solver-protocol.js';

export interface WorkerSolverOptions {
  /** wall-clock limit of one call, after which the worker is stopped and replaced */
  hardLimitSec?: number;
  /** replace the worker after a call leaves its solver holding more than this */
  recycleAboveBytes?: number;
}

type Answer = Extract<SolverReply, { ok: true }>;

interface Pending {
  resolve: (reply: Answer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * HiGHS in a worker thread behind the LpSolver interface, by messages: the calling thread stays
 * free while it solves. The WebAssembly solver keeps the memory it once needed (up to its 2 GiB
 * cap) and cannot be interrupted; in a worker it is stopped when a call overruns its hard limit
 * and replaced when its memory has grown, without taking the caller's process down.
 */
export class WorkerLpSolver implements LpSolver {
  readonly name = 'HiGHS (worker thread)';
  private worker!: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private grown = false;
  /** how many workers have been started, the first included */
  generation = 0;

  constructor(private readonly options: WorkerSolverOptions = {}) {
    this.start();
  }

  async solve(model: LinearModel, options: SolveOptions = {}): Promise<LpSolution> {
    const reply = await this.call((id) => ({ id, kind: 'solve', model: model.toArrays(), options }));
    return reply.solution!;
  }

  async write(model: LinearModel, format: 'lp' | 'mps'): Promise<string> {
    return (await this.call((id) => ({ id, kind: 'write', model: model.toArrays(true), format }))).text!;
  }

  /** Stops the worker (failing what it still had to answer) and starts a fresh one. */
  recycle(): void {
    this.stop(new SolverError('the solver worker was replaced before it answered'));
    this.start();
  }

  async close(): Promise<void> {
    this.stop(new SolverError('the solver was closed before it answered'));
  }

  private start(): void {
    const worker = new Worker(workerScript());
    worker.on('message', (reply: SolverReply) => this.settle(reply));
    worker.on('error', (e) => {
      if (worker === this.worker)
        this.failAll(new SolverError(`HiGHS failed in its worker: ${e.message}`, { cause: e }));
    });
    // an idle solver never keeps the process alive; a pending call does
    worker.unref();
    this.worker = worker;
    this.generation++;
  }

  private stop(reason: Error): void {
    this.failAll(reason);
    void this.worker.terminate();
  }

  private failAll(reason: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }

  private settle(reply: SolverReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker.unref();
    if (!reply.ok) {
      this.recycle();
      p.reject(new SolverError(`HiGHS failed in its worker: ${reply.message}`));
      return;
    }
    // a grown solver is replaced once nothing else waits on it
    if (reply.memoryBytes > (this.options.recycleAboveBytes ?? 1024 ** 3)) this.grown = true;
    if (this.grown && this.pending.size === 0) {
      this.grown = false;
      this.recycle();
    }
    p.resolve(reply);
  }

  private call(request: (id: number) => SolverRequest): Promise<Answer> {
    const req = request(this.nextId++);
    const m = req.model;
    const buffers = [
      m.colLower,
      m.colUpper,
      m.colCost,
      m.integer,
      m.rowLower,
      m.rowUpper,
      m.rowStart,
      m.rowIndex,
      m.rowValue,
    ].map((a) => a.buffer as ArrayBuffer);
    const limitSec = this.options.hardLimitSec ?? 3600;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.id);
        this.recycle();
        reject(
          new TimeoutError(`the solver did not answer within ${limitSec} s; its worker was replaced`, {
            details: { limitSec },
          }),
        );
      }, limitSec * 1000);
      // the timer does not hold the process; the worker, referenced while a call is pending, does
      timer.unref();
      this.pending.set(req.id, { resolve, reject, timer });
      this.worker.ref();
      // the arrays are copies made for this call: moved, not copied again
      this.worker.postMessage(req, buffers);
    });
  }
}

/**
 * The compiled worker entry next to this module. Run from TypeScript sources (a test runner),
 * this module sits in src/ and the worker, which Node must load as JavaScript, in dist/.
 */
function workerScript(): URL {
  const here = new URL('./solver-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(here.href.replace('/src/node/', '/dist/node/'));
}
