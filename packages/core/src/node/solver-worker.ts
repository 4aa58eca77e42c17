// The solver worker's entry: answers solve and write requests on the port it was given and
// raises the shared flag after each answer, so the main thread can wait for it synchronously.
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { HighsSolver, LinearModel } from '../opt/index.js';
import type { SolverReply, SolverRequest } from './solver-protocol.js';

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };

const solver = HighsSolver.create().then(
  (s) => ({ s, error: undefined }),
  (e: unknown) => ({ s: undefined, error: e as Error }),
);

function answer(req: SolverRequest, s: HighsSolver): SolverReply {
  const model = LinearModel.fromArrays(req.model);
  if (req.kind === 'solve')
    return { ok: true, solution: s.solve(model, req.options), memoryBytes: s.memoryBytes };
  return { ok: true, text: s.write(model, req.format), memoryBytes: s.memoryBytes };
}

port.on('message', async (req: SolverRequest) => {
  const { s, error } = await solver;
  let reply: SolverReply;
  try {
    if (!s) throw error;
    reply = answer(req, s);
  } catch (e) {
    reply = { ok: false, message: (e as Error).message };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
