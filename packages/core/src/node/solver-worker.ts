// The solver worker's entry: answers solve and write requests on its parent port, one at a time.
import { parentPort } from 'node:worker_threads';
import { HighsSolver, LinearModel } from '../opt/index.js';
import type { SolverReply, SolverRequest } from './solver-protocol.js';

const solver = HighsSolver.create().then(
  (s) => ({ s, error: undefined }),
  (e: unknown) => ({ s: undefined, error: e as Error }),
);

function answer(req: SolverRequest, s: HighsSolver): SolverReply {
  const model = LinearModel.fromArrays(req.model);
  if (req.kind === 'solve')
    return { id: req.id, ok: true, solution: s.solveNow(model, req.options), memoryBytes: s.memoryBytes };
  return { id: req.id, ok: true, text: s.writeNow(model, req.format), memoryBytes: s.memoryBytes };
}

parentPort!.on('message', async (req: SolverRequest) => {
  const { s, error } = await solver;
  let reply: SolverReply;
  try {
    if (!s) throw error;
    reply = answer(req, s);
  } catch (e) {
    reply = { id: req.id, ok: false, message: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
