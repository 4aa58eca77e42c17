/**
 * Reading the files a command names, with the documented size limits and errors that name the
 * file (and, for a CSV, the line).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InvalidValueError } from '@gridtier/core/errors';
import type { ScriptHost } from '@gridtier/core/grid/dss';
import { nodeScriptHost } from '@gridtier/core/node';
import { MAX_INPUT_BYTES } from './framework/files.js';

/** All the files one OpenDSS script reads, together (Redirect and Compile included). */
export const MAX_SCRIPT_TOTAL_BYTES = 256 * 1024 * 1024;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * A file's text; refused if missing or over the limit of one input file. The file is read in
 * chunks up to one byte past the limit, so a device or pipe without an end (`/dev/zero`) is
 * refused at the limit rather than read until memory runs out.
 */
export function readText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new InvalidValueError(`cannot read ${path}: ${reason}`, { cause: e });
  }
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, MAX_INPUT_BYTES + 1 - size));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
      if (size > MAX_INPUT_BYTES)
        throw new InvalidValueError(
          `${path}: larger than the limit of ${mib(MAX_INPUT_BYTES)} for one input file`,
        );
    }
    return Buffer.concat(chunks, size).toString('utf8');
  } catch (e) {
    if (e instanceof InvalidValueError) throw e;
    throw new InvalidValueError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  } finally {
    closeSync(fd);
  }
}

const READ_CHUNK_BYTES = 1024 * 1024;

/** A JSON document from a file, with errors that name the file and the line. */
export function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidValueError(
      `${path}${jsonErrorLine(text, (e as Error).message)}: not valid JSON: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/** A JSON document that must be an object (the top level of every GridTier input file). */
export function readJsonObject(path: string): Record<string, unknown> {
  const doc = readJson(path);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InvalidValueError(
      `${path}: the file must hold a JSON object ({…}), not ${doc === null ? 'null' : Array.isArray(doc) ? 'an array' : typeof doc}`,
    );
  return doc as Record<string, unknown>;
}

/** ":line" of a JSON.parse error that gives a position, else "". */
function jsonErrorLine(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const at = Math.min(Number(m[1]), text.length);
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return `:${line}`;
}

/**
 * The file system as an OpenDSS script sees it, with the size limits: one file at most the
 * limit of one input, all the files of a script together at most MAX_SCRIPT_TOTAL_BYTES.
 */
export function limitedScriptHost(): ScriptHost {
  let total = 0;
  return {
    ...nodeScriptHost,
    readText: (path) => {
      const text = readText(path);
      total += text.length;
      if (total > MAX_SCRIPT_TOTAL_BYTES)
        throw new InvalidValueError(
          `${path}: the script's files add up to more than the limit of ${mib(MAX_SCRIPT_TOTAL_BYTES)}`,
        );
      return text;
    },
  };
}
