// The LEM worker's entry: loads its feeder once, then clears each market it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { runScript } from '../grid/powerflow/index.js';
import { clearMarket } from '../market/lem/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import type { LemReply, LemRequest } from './lem-protocol.js';

const ready = (async () => {
  const feeder = runScript(nodeScriptHost, (workerData as { feederPath: string }).feederPath).state;
  return { feeder, solver: await HighsSolver.create() };
})();
// a failed start is answered to every request, not thrown out of the worker
ready.catch(() => {});

let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (req: LemRequest) => {
  // one market at a time, in the order sent: the feeder's networks are reused between markets
  queue = queue.then(async () => {
    let reply: LemReply;
    try {
      const { feeder, solver } = await ready;
      reply = { id: req.id, ok: true, result: await clearMarket(feeder, req.parsed, solver) };
    } catch (e) {
      const err = e as Error & { code?: string };
      reply = { id: req.id, ok: false, message: err.message, code: err.code };
    }
    parentPort!.postMessage(reply);
  });
});
