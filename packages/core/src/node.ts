import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ScriptHost } from './grid/dss/index.js';

/** Reads scripts from the file system; the only place core touches files. */
export const nodeScriptHost: ScriptHost = {
  readText: (path) => readFileSync(path, 'utf8'),
  readBytes: (path) => readFileSync(path),
  resolve: (fromDir, path) => resolve(fromDir, path),
  dirname: (path) => dirname(path),
  exists: (path) => existsSync(path),
  findCaseInsensitive: (path) => {
    const dir = dirname(path);
    if (!existsSync(dir)) return undefined;
    const want = basename(path).toLowerCase();
    const hit = readdirSync(dir).find((f) => f.toLowerCase() === want);
    return hit === undefined ? undefined : join(dir, hit);
  },
};

export { CoinSolver, type CoinSolverOptions } from './node/coin-solver.js';
export { FileJournal, readJournal } from './node/file-journal.js';
export { nodeCrypto } from './node/native-crypto.js';
export { WorkerLemClearer } from './node/worker-lem-clearer.js';
export { WorkerLpSolver, type WorkerSolverOptions } from './node/worker-solver.js';
