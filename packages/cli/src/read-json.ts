import { readFileSync } from 'node:fs';
import { InvalidValueError } from '@gridtier/core';

/** A JSON object from a file, with errors that name the file. */
export function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidValueError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidValueError(`file ${path} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
