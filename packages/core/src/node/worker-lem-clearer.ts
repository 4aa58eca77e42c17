import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidValueError, SolverError } from '../errors/index.js';
import type { LemClearer, LemResult } from '../market/lem/index.js';
import type { ParsedOrders } from '../market/orders/index.js';
import type { LemReply, LemRequest } from './lem-protocol.js';

interface Pending {
  resolve: (r: LemResult) => void;
  reject: (e: Error) => void;
}

/**
 * Clears a feeder's local energy market in a worker thread that loaded the feeder's script
 * itself: the AC power flows, sensitivities and LP solves of a clearing all run there, and the
 * calling thread (a live server's) stays free. Markets are cleared one at a time in the order
 * asked, so results are those of the same markets cleared in the calling thread.
 */
export class WorkerLemClearer implements LemClearer {
  readonly name = 'worker thread';
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(feederPath: string) {
    this.worker = new Worker(workerScript(), { workerData: { feederPath } });
    this.worker.on('message', (reply: LemReply) => this.settle(reply));
    this.worker.on('error', (e) =>
      this.failAll(new SolverError(`the LEM worker failed: ${e.message}`, { cause: e })),
    );
    this.worker.unref();
  }

  clear(parsed: ParsedOrders): Promise<LemResult> {
    if (this.closed) return Promise.reject(new SolverError('the LEM clearer is closed'));
    const req: LemRequest = { id: this.nextId++, parsed };
    return new Promise<LemResult>((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      // a pending clearing keeps the process alive; an idle worker does not
      this.worker.ref();
      this.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new SolverError('the LEM clearer was closed before it answered'));
    await this.worker.terminate();
  }

  private settle(reply: LemReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) p.resolve(reply.result);
    // the worker's errors come back by code: a refusal of the orders stays one
    else if (reply.code === 'INVALID_VALUE') p.reject(new InvalidValueError(reply.message));
    else p.reject(new SolverError(`the LEM worker could not clear: ${reply.message}`));
  }

  private failAll(reason: Error): void {
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}

/** The compiled worker entry next to this module (from sources, the one in dist/). */
function workerScript(): URL {
  const here = new URL('./lem-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(here.href.replace('/src/node/', '/dist/node/'));
}
