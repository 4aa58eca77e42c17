import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SolverError, TimeoutError } from '../errors/index.js';
import type { LinearModel, LpSolution, LpSolver, SolveOptions } from '../opt/index.js';
import type { SolverReply, SolverRequest } from './solver-protocol.js';

export interface WorkerSolverOptions {
  /** wall-clock limit of one call, after which the worker is stopped and replaced */
  hardLimitSec?: number;
  /** replace the worker after a call leaves its solver holding more than this */
  recycleAboveBytes?: number;
}

/**
 * HiGHS in a worker thread behind the synchronous LpSolver interface. The WebAssembly solver
 * blocks its thread, keeps the memory it once needed (up to its 2 GiB cap) and cannot be
 * interrupted; in a worker it can be stopped when a call overruns its hard limit and replaced
 * when its memory has grown, without taking the caller's process down.
 */
export class WorkerLpSolver implements LpSolver {
  readonly name = 'HiGHS (worker thread)';
  private worker!: Worker;
  private port!: MessagePort;
  private flag!: Int32Array;
  /** how many workers have been started, the first included */
  generation = 0;

  constructor(private readonly options: WorkerSolverOptions = {}) {
    this.start();
  }

  solve(model: LinearModel, options: SolveOptions = {}): LpSolution {
    const reply = this.call({ kind: 'solve', model: model.toArrays(), options });
    return reply.solution!;
  }

  write(model: LinearModel, format: 'lp' | 'mps'): string {
    return this.call({ kind: 'write', model: model.toArrays(true), format }).text!;
  }

  /** Stops the worker and starts a fresh one. */
  recycle(): void {
    this.stop();
    this.start();
  }

  /** Stops the worker for good. */
  close(): void {
    this.stop();
  }

  private start(): void {
    const { port1, port2 } = new MessageChannel();
    this.flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker = new Worker(workerScript(), {
      workerData: { port: port2, flag: this.flag },
      transferList: [port2],
    });
    // an idle solver never keeps the process alive
    this.worker.unref();
    this.port = port1;
    this.generation++;
  }

  private stop(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private call(req: SolverRequest): Extract<SolverReply, { ok: true }> {
    Atomics.store(this.flag, 0, 0);
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
    // the arrays are copies made for this call: moved, not copied again
    this.port.postMessage(req, buffers);
    const limitSec = this.options.hardLimitSec ?? 3600;
    if (Atomics.wait(this.flag, 0, 0, limitSec * 1000) === 'timed-out') {
      this.recycle();
      throw new TimeoutError(`the solver did not answer within ${limitSec} s; its worker was replaced`, {
        details: { limitSec },
      });
    }
    const reply = receiveMessageOnPort(this.port)?.message as SolverReply | undefined;
    if (!reply?.ok) {
      this.recycle();
      throw new SolverError(`HiGHS failed in its worker: ${reply ? reply.message : 'no answer'}`);
    }
    if (reply.memoryBytes > (this.options.recycleAboveBytes ?? 1024 ** 3)) this.recycle();
    return reply;
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
