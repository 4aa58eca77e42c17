import { readFileSync } from 'node:fs';
import { commands } from './commands/index.js';
import type { Program } from './framework/help.js';

export const program: Program = {
  name: 'gridtier',
  summary: 'multi-tier transactive energy markets on a real three-phase feeder',
  commands,
};

/** The package's version, read only when asked for. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
