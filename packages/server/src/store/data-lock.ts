import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims an embedded database's directory for this process. The embedded database has no
 * server to arbitrate between processes, so a second one opening the same files would corrupt
 * them; a lock left by a process that died (a crash, kill -9) is taken over. Returns the release.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'gridtier.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StoreError(`cannot lock ${dir}`, { cause: e });
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isSafeInteger(pid) && pid > 0 && alive(pid))
        throw new StoreError(
          `${dir} is in use by process ${pid} (a running server): stop it, or manage clients through its API`,
          { details: { field: 'data', pid } },
        );
      rmSync(path, { force: true });
    }
  }
  throw new StoreError(`cannot lock ${dir}: another process keeps taking it`);
}
