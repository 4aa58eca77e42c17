/**
 * What every run of gridtier must satisfy, whatever its input (the README's promises):
 * - it ends, within the time limit, with a documented exit code: 0, 1 or 2, and 70 only with
 *   --debug — and an internal error is a fault whether or not --debug shows its stack;
 * - no stack trace without --debug;
 * - a usage error (2) shows the usage line; a refusal (1) names where: a file (with its line),
 *   a field, an option or an order;
 * - a run that fails writes nothing and changes no file; no run leaves a temporary file.
 */
import type { Outcome } from '../framework/run.js';

/** How one run ended, as the worker reports it. */
export interface RunReport {
  code: number;
  outcome: Outcome | 'crash' | 'timeout';
  stdout: string;
  stderr: string;
  /** a stack trace was seen anywhere in either stream */
  stack: boolean;
  ms: number;
  /** the uncaught error of a crash */
  crash?: string;
}

/** The case's folder before and after the run: relative path → a digest of its content ("dir" for folders). */
export type Snapshot = ReadonlyMap<string, string>;

/** Lines in stack-trace form ("    at f (file.js:1:2)"), as V8 prints them. */
export const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** The options before `--`: only these are the line's own flags. */
function flags(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

/**
 * Does a refusal say where? A file path (with or without a line), an option, an argument, a field path
 * ("orders.3.price"), an order or participant named, or a quoted value of the input.
 */
export function namesWhere(message: string): boolean {
  return (
    /(^|[\s(])(\/|\.{1,2}\/|\{CASE\})\S/.test(message) || // a path
    /\S+\.[A-Za-z]{2,5}(:\d+)?\b/.test(message) || // a file name, with or without its line
    /--[a-z][\w-]*/.test(message) || // an option
    /: [A-Z][A-Z0-9_]+ /.test(message) || // an argument, named as the usage line names it (ID, FILE)
    /\b[A-Za-z_]\w*(\.\w+)+\b/.test(message) || // a field path
    /\b(order|participant|bus|field|line|account|meter|reading|trade|interval)s?\b/i.test(message)
  );
}

/** The problems of one run; empty when it kept every promise. */
export function judge(argv: readonly string[], r: RunReport, before: Snapshot, after: Snapshot): string[] {
  const problems: string[] = [];
  const debug = flags(argv).includes('--debug');
  if (r.outcome === 'timeout') return [`no answer within the time limit (${Math.round(r.ms)} ms)`];
  if (r.outcome === 'crash') return [`the run crashed: ${r.crash ?? 'unknown'}`];
  if (r.outcome === 'internal') problems.push(`internal error (exit ${r.code}): ${firstLine(r.stderr)}`);
  if (![0, 1, 2].includes(r.code) && !(debug && r.code === 70))
    problems.push(`undocumented exit code ${r.code}`);
  if (r.code === 70 && !debug) problems.push('exit 70 without --debug');
  if (r.stack && !(debug && r.code === 70)) problems.push('a stack trace');
  if (r.code === 2 && !/^Usage: /m.test(r.stderr))
    problems.push(`a usage error without the usage: ${firstLine(r.stderr)}`);
  if (r.code === 1 && r.outcome === 'refused' && !namesWhere(r.stderr))
    problems.push(`a refusal that does not say where: ${firstLine(r.stderr)}`);
  if (r.code !== 0) problems.push(...changes(before, after).map((c) => `failed run ${c}`));
  for (const path of after.keys())
    if (/(^|\/)\.[^/]*\.tmp$/.test(path)) problems.push(`a temporary file was left behind: ${path}`);
  return problems;
}

function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [path, digest] of after) {
    const was = before.get(path);
    if (was === undefined) out.push(`wrote ${path}`);
    else if (was !== digest) out.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) out.push(`removed ${path}`);
  return out;
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '(nothing on standard error)').slice(0, 300);
}

/**
 * A failure's kind, for counting distinct defects: the problem with the case's numbers, paths and
 * quoted values taken out.
 */
export function signature(label: string, problem: string): string {
  return `${label}: ${problem
    .replace(/\{CASE\}[^\s:'"]*|\/[^\s:'"]+/g, 'PATH')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .slice(0, 160)}`;
}
