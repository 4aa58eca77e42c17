import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ScriptHost } from './grid/dss/index.js';

/** Reads scripts from the file system; the only place core touches files. */
export const nodeScriptHost: ScriptHost = {
  readText: (path) => readFileSync(path, 'utf8'),
  resolve: (fromDir, path) => resolve(fromDir, path),
  dirname: (path) => dirname(path),
  exists: (path) => existsSync(path),
};
