import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, found from this file (src/ or dist/ of packages/cli), not the working folder. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The reference data the project calls `../shared`: beside the repository's root. Returns where it
 * was looked for and whether it holds OpenDSS's reference solutions.
 */
export function sharedDir(): { path: string; found: boolean } {
  const path = resolve(repositoryRoot, '..', 'shared');
  return { path, found: existsSync(join(path, 'reference', 'opendss')) };
}
