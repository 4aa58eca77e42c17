/**
 * Runs a command line: finds the command among the declarations, answers help and version,
 * parses and checks the options, imports the command's implementation and runs it, and turns
 * every way it can end into one of the documented exit codes.
 */
import { GridTierError } from '@gridtier/core/errors';
import { closest, EXIT, UsageError } from './errors.js';
import { checkFileOptions } from './files.js';
import { commandHelp, groupHelp, type Program, programHelp, usageLine } from './help.js';
import type { Io } from './io.js';
import { asksForHelp, parseCommandLine } from './parse.js';
import { type AnyCommand, type CommandSpec, type GroupSpec, isGroup } from './spec.js';

/** How a run ended, beyond its exit code: the fuzz harness counts internal errors as crashes. */
export type Outcome = 'ok' | 'refused' | 'usage' | 'internal';

export interface RunResult {
  code: number;
  outcome: Outcome;
}

interface Found {
  path: string[];
  spec: CommandSpec;
  rest: string[];
}

/**
 * Walks the words of the command line down the declared commands and groups. A group named
 * without its subcommand answers --help with its own help; otherwise it is a usage error.
 */
function find(p: Program, argv: string[], io: Io, path: string[]): Found | RunResult {
  let commands: readonly AnyCommand[] = p.commands;
  let group: GroupSpec | undefined;
  for (let i = 0; ; i++) {
    const word = argv[i];
    const names = commands.map((c) => c.name);
    if (word === undefined || word.startsWith('-')) {
      if (group && asksForHelp(argv.slice(i))) {
        io.stdout(groupHelp(path, group));
        return { code: EXIT.ok, outcome: 'ok' };
      }
      if (!group) throw new UsageError(`unknown option ${word}`);
      throw new UsageError(`a command is needed: ${names.join(', ')}`);
    }
    const hit = commands.find((c) => c.name === word);
    if (!hit) {
      const guess = closest(word, names);
      throw new UsageError(
        `unknown command "${word}"${guess ? `; did you mean "${guess}"?` : ''} (commands: ${names.join(', ')})`,
      );
    }
    path.push(hit.name);
    if (!isGroup(hit)) return { path, spec: hit as CommandSpec, rest: argv.slice(i + 1) };
    group = hit;
    commands = hit.commands;
  }
}

function findGroup(commands: readonly AnyCommand[], names: string[]): AnyCommand | undefined {
  let c: AnyCommand | undefined;
  let list = commands;
  for (const n of names) {
    c = list.find((x) => x.name === n);
    if (!c || !isGroup(c)) return c;
    list = c.commands;
  }
  return c;
}

/** What a Node system call error says, as a refusal naming the path (a file we could not read or write). */
function systemError(e: unknown): string | undefined {
  const x = e as NodeJS.ErrnoException;
  if (!(x instanceof Error) || typeof x.code !== 'string' || typeof x.syscall !== 'string') return undefined;
  const reason: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EISDIR: 'is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    EMFILE: 'too many open files',
  };
  if (!(x.code in reason)) return undefined;
  return `${x.path ?? x.syscall}: ${reason[x.code]}`;
}

function causeChain(e: unknown): string {
  const lines: string[] = [];
  let c = (e as Error)?.cause;
  for (let depth = 0; c !== undefined && depth < 8; depth++) {
    lines.push(`  caused by: ${c instanceof Error ? c.message : String(c)}`);
    c = (c as Error)?.cause;
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Classifies an error that ended a run, writes it to standard error and says how to exit. */
export function report(e: unknown, where: string, debug: boolean, io: Io, usage?: string): RunResult {
  if (e instanceof UsageError) {
    io.stderr(`${where}: ${e.message}\n`);
    if (usage) io.stderr(`Usage: ${usage}\nRun '${where} --help' for the options and examples.\n`);
    return { code: EXIT.usage, outcome: 'usage' };
  }
  if (e instanceof GridTierError) {
    io.stderr(`${where}: ${e.message}\n`);
    if (debug) io.stderr(causeChain(e));
    return { code: EXIT.refused, outcome: 'refused' };
  }
  const system = systemError(e);
  if (system) {
    io.stderr(`${where}: ${system}\n`);
    return { code: EXIT.refused, outcome: 'refused' };
  }
  const message = e instanceof Error ? e.message : String(e);
  if (debug) {
    io.stderr(
      `${where}: internal error: ${e instanceof Error ? (e.stack ?? message) : message}\n${causeChain(e)}`,
    );
    return { code: EXIT.internal, outcome: 'internal' };
  }
  io.stderr(
    `${where}: internal error: ${message}\n(a fault in GridTier, not in your input; run again with --debug for the details)\n`,
  );
  return { code: EXIT.refused, outcome: 'internal' };
}

export interface RunOptions {
  version: () => string;
}

/** Runs one command line to its end; never throws. */
export async function runCommandLine(p: Program, argv: string[], io: Io, o: RunOptions): Promise<RunResult> {
  // a leading --debug before the command is the same as one after it
  const debugFirst = argv[0] === '--debug';
  const words = debugFirst ? argv.slice(1) : argv;
  const first = words[0];
  if (first === undefined) {
    io.stderr(programHelp(p, o.version()));
    return { code: EXIT.usage, outcome: 'usage' };
  }
  if (first === '--help' || first === '-h') {
    io.stdout(programHelp(p, o.version()));
    return { code: EXIT.ok, outcome: 'ok' };
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${p.name} ${o.version()}\n`);
    return { code: EXIT.ok, outcome: 'ok' };
  }
  if (first === 'help') return help(p, words.slice(1), io, o);
  const path = [p.name];
  let usage: string | undefined;
  let debug = debugFirst;
  try {
    const found = find(p, words, io, path);
    if ('code' in found) return found;
    usage = usageLine(found.path, found.spec);
    const parsed = parseCommandLine(found.spec, found.rest);
    debug ||= parsed.debug;
    if (parsed.help) {
      io.stdout(commandHelp(found.path, found.spec));
      return { code: EXIT.ok, outcome: 'ok' };
    }
    checkFileOptions(found.spec.options, parsed.options);
    const { run } = await found.spec.load();
    const code = await run({
      options: parsed.options,
      positionals: parsed.positionals,
      io,
      commandPath: path.join(' '),
      debug,
    });
    return { code, outcome: code === EXIT.ok ? 'ok' : 'refused' };
  } catch (e) {
    // a usage error before a command was found shows the program's or the group's usage
    usage ??= `${path.join(' ')} COMMAND [options]`;
    return report(e, path.join(' '), debug, io, usage);
  }
}

/** `gridtier help [COMMAND [SUBCOMMAND]]` */
function help(p: Program, names: string[], io: Io, o: RunOptions): RunResult {
  if (names.length === 0) {
    io.stdout(programHelp(p, o.version()));
    return { code: EXIT.ok, outcome: 'ok' };
  }
  const c = findGroup(p.commands, names);
  if (!c || c.name !== names.at(-1))
    return report(
      new UsageError(`no command "${names.join(' ')}"`),
      p.name,
      false,
      io,
      `${p.name} help [COMMAND]`,
    );
  const path = [p.name, ...names];
  io.stdout(isGroup(c) ? groupHelp(path, c) : commandHelp(path, c as CommandSpec));
  return { code: EXIT.ok, outcome: 'ok' };
}
