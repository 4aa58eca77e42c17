import { runScript } from '../grid/powerflow/index.js';
import { lemClearerSuite } from '../market/lem/clearer-suite.js';
import { InProcessLemClearer } from '../market/lem/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { WorkerLemClearer } from './worker-lem-clearer.js';

lemClearerSuite(
  'in process',
  async (path) => new InProcessLemClearer(runScript(nodeScriptHost, path).state, await HighsSolver.create()),
);
lemClearerSuite('worker thread', async (path) => new WorkerLemClearer(path));
