import type { ScriptHost } from './interpreter.js';

/** A ScriptHost that serves scripts and data files from memory: tests and embedded examples. */
export function memoryHost(files: Record<string, string | Uint8Array>): ScriptHost {
  return {
    readText: (p) => {
      const f = files[p];
      return typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    readBytes: (p) => {
      const f = files[p];
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    resolve: (_d, p) => p,
    dirname: () => '.',
    exists: (p) => p in files,
  };
}
