/**
 * Reading the files a command names, with the documented size limits and errors that name the
 * file (and, for a CSV, the line).
 */
import { readFileSync, statSync } from 'node:fs';
import { InvalidValueError } from '@gridtier/core/errors';
import type { ScriptHost } from '@gridtier/core/grid/dss';
import { nodeScriptHost } from '@gridtier/core/node';
import { MAX_INPUT_BYTES } from './framework/files.js';

/** All the files one OpenDSS script reads, together (Redirect and Compile included). */
export const MAX_SCRIPT_TOTAL_BYTES = 256 * 1024 * 1024;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** A file's text; refused if missing or over the limit of one input file. */
export function readText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new InvalidValueError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { cause: e },
    );
  }
  if (size > MAX_INPUT_BYTES)
    throw new InvalidValueError(
      `${path}: ${mib(size)} is larger than the limit of ${mib(MAX_INPUT_BYTES)} for one input file`,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidValueError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

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
