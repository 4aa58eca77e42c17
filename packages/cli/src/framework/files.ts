/**
 * Files at the edge of a command: inputs checked to exist before any work, output locations
 * checked before any work (so a day's run cannot end by failing to write its result), and
 * outputs written atomically — to a temporary file beside the target, then renamed over it — so a
 * reader never sees half a file and a failed run leaves the previous file as it was.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidValueError } from '@gridtier/core/errors';
import type { OptionDefs } from './spec.js';

/** The largest input file a command reads, bytes (documented in the README). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw e;
  }
}

/** A readable file of acceptable size, or a refusal naming the option and the path. */
export function checkInput(option: string, path: string, maxBytes = MAX_INPUT_BYTES): void {
  const s = statOrUndefined(path);
  if (!s) throw new InvalidValueError(`--${option} ${path}: no such file`);
  if (s.isDirectory()) throw new InvalidValueError(`--${option} ${path}: is a folder, not a file`);
  if (s.isFile() && s.size > maxBytes)
    throw new InvalidValueError(
      `--${option} ${path}: ${mib(s.size)} is larger than the limit of ${mib(maxBytes)} for one input file`,
    );
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new InvalidValueError(`--${option} ${path}: not readable`, { cause: e });
  }
}

/** A folder that exists and can be read. */
export function checkInputDir(option: string, path: string): void {
  const s = statOrUndefined(path);
  if (!s) throw new InvalidValueError(`--${option} ${path}: no such folder`);
  if (!s.isDirectory()) throw new InvalidValueError(`--${option} ${path}: is a file, not a folder`);
}

/** The nearest folder that exists on the way to `path`, which must be writable for it to be made. */
function existingAncestor(option: string, path: string): string {
  let p = dirname(resolve(path));
  for (;;) {
    const s = statOrUndefined(p);
    if (s) {
      if (!s.isDirectory()) throw new InvalidValueError(`--${option} ${path}: ${p} is a file, not a folder`);
      return p;
    }
    const up = dirname(p);
    if (up === p) return p;
    p = up;
  }
}

/**
 * Can files be made in `folder`? access(2) alone says yes to root everywhere, even where the file
 * system refuses every new name (/proc, a read-only mount), so a folder is also made and removed.
 */
function checkWritable(option: string, path: string, folder: string): void {
  try {
    accessSync(folder, constants.W_OK);
    rmdirSync(mkdtempSync(join(folder, '.gridtier-probe-')));
  } catch (e) {
    throw new InvalidValueError(`--${option} ${path}: cannot write in ${folder}`, { cause: e });
  }
}

/**
 * Makes a folder and the missing folders above it. Node's own recursive mkdir loops for ever
 * where the file system answers "no such file" for a folder it will not make (/proc), so each
 * level is made on its own.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); !statOrUndefined(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** A file that can be written (replaced if it exists); missing folders are made when it is written. */
export function checkOutputFile(option: string, path: string): void {
  const s = statOrUndefined(path);
  if (s?.isDirectory())
    throw new InvalidValueError(`--${option} ${path}: is a folder; --${option} takes a file name`);
  if (s && !s.isFile()) checkWritable(option, path, path);
  else checkWritable(option, path, s ? dirname(resolve(path)) : existingAncestor(option, path));
}

/** A folder that exists and is writable, or can be made. */
export function checkOutputDir(option: string, path: string): void {
  const s = statOrUndefined(path);
  if (s && !s.isDirectory())
    throw new InvalidValueError(`--${option} ${path}: is a file; --${option} takes a folder`);
  checkWritable(option, path, s ? resolve(path) : existingAncestor(option, path));
}

/**
 * Checks every file option of a parsed command line before the command runs: inputs exist,
 * outputs can be written, and no output would overwrite an input.
 */
export function checkFileOptions(defs: OptionDefs, values: Record<string, unknown>): void {
  const inputs = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    const v = values[name];
    if (typeof v !== 'string') continue;
    if (def.kind === 'input') {
      checkInput(name, v, (def as { maxBytes?: number }).maxBytes);
      inputs.set(resolve(v), name);
    } else if (def.kind === 'inputDir') checkInputDir(name, v);
  }
  for (const [name, def] of Object.entries(defs)) {
    const v = values[name];
    if (typeof v !== 'string') continue;
    if (def.kind === 'output') {
      checkOutputFile(name, v);
      const clash = inputs.get(resolve(v));
      if (clash)
        throw new InvalidValueError(`--${name} ${v}: is the --${clash} input; refusing to overwrite it`);
    } else if (def.kind === 'outputDir') checkOutputDir(name, v);
  }
}

const tempName = (path: string) =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/**
 * Writes a file atomically: a temporary file beside it, then a rename over it. A target that is
 * not a regular file (/dev/stdout, a named pipe) is written to directly.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const s = statOrUndefined(path);
  if (s && !s.isFile() && !s.isDirectory()) writeFileSync(path, data);
  else writeFilesAtomic(dirname(path), { [basename(path)]: data });
}

/**
 * Writes several files into a folder (made if missing): every file is written to a temporary
 * name first and only then renamed into place, so a failure while writing (a full disk) leaves
 * the earlier set as it was and no partial file.
 */
export function writeFilesAtomic(dir: string, files: Record<string, string | Uint8Array>): string[] {
  makeFolders(dir);
  const staged: [string, string][] = [];
  try {
    for (const [name, data] of Object.entries(files)) {
      const target = join(dir, name);
      const tmp = tempName(target);
      staged.push([tmp, target]);
      writeFileSync(tmp, data);
    }
    // a rename over a folder would fail halfway through the set: refuse before the first
    for (const [, target] of staged)
      if (statOrUndefined(target)?.isDirectory()) throw new InvalidValueError(`${target}: is a folder`);
    for (const [tmp, target] of staged) renameSync(tmp, target);
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  return staged.map(([, target]) => target);
}
