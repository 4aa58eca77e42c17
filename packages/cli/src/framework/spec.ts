/**
 * What a command declares: its name, a one-line summary, its options with types, defaults and
 * whether they are required, its examples, and a run function imported only when the command runs.
 * Help, usage errors and the README's reference are generated from these declarations, and start-up
 * loads nothing but them.
 */
import type { Io } from './io.js';

/** How an option's text becomes a value, and how it is shown in help. */
export type OptionKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'choice'
  /** a file the command reads: checked to exist before the command runs */
  | 'input'
  /** a folder the command reads: checked to exist before the command runs */
  | 'inputDir'
  /** a file the command writes: its folder is created and checked before the command runs */
  | 'output'
  /** a folder the command writes several files into: created and checked before the command runs */
  | 'outputDir';

export interface OptionDef<T = unknown, Present extends boolean = boolean> {
  readonly kind: OptionKind;
  readonly help: string;
  /** the placeholder in usage lines: FILE, N, SECONDS … */
  readonly metavar?: string;
  readonly required?: boolean;
  readonly default?: T;
  readonly choices?: readonly string[];
  /** inclusive bounds of integer and number options */
  readonly min?: number;
  readonly max?: number;
  /** a bound the value must exceed (numbers that must be positive) */
  readonly above?: number;
  /** a single-letter alias */
  readonly short?: string;
  /** type-level only: whether the value is always present (required or defaulted) */
  readonly __present?: Present;
}

export type OptionDefs = Readonly<Record<string, OptionDef>>;

type ValueOf<D> = D extends OptionDef<infer T, infer P> ? (P extends true ? T : T | undefined) : never;

/** The parsed options of a command, typed from its declaration. Names keep their dashes. */
export type OptionValues<O extends OptionDefs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

export interface PositionalDef {
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  /** takes every remaining argument */
  readonly variadic?: boolean;
}

export interface Example {
  /** the command line after `gridtier`, runnable from the repository's root */
  readonly args: string;
  readonly help: string;
}

/** What a command's run function receives. */
export interface RunContext<O extends OptionDefs = OptionDefs> {
  readonly options: OptionValues<O>;
  readonly positionals: string[];
  readonly io: Io;
  /** "lem clear", for messages */
  readonly commandPath: string;
  readonly debug: boolean;
}

/** A command's implementation: returns the exit code (0, or 1 when every input was refused). */
export type RunFunction<O extends OptionDefs = OptionDefs> = (ctx: RunContext<O>) => Promise<number>;

export interface CommandSpec<O extends OptionDefs = OptionDefs> {
  readonly name: string;
  readonly summary: string;
  /** paragraphs shown under the usage line of the command's help */
  readonly description?: string;
  readonly options: O;
  readonly positionals?: readonly PositionalDef[];
  readonly examples: readonly Example[];
  /** imports the implementation; called only when the command runs */
  readonly load: () => Promise<{ run: RunFunction<O> }>;
}

/** A command with subcommands (`lem clear`, `vpp simulate`). */
export interface GroupSpec {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly commands: readonly AnyCommand[];
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds commands of different option types
export type AnySpec = CommandSpec<any>;
export type AnyCommand = AnySpec | GroupSpec;

export function isGroup(c: AnyCommand): c is GroupSpec {
  return 'commands' in c;
}

/** Declares a command; the identity, for type inference of its options. */
export function defineCommand<const O extends OptionDefs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export function defineGroup(spec: GroupSpec): GroupSpec {
  return spec;
}

interface Common {
  help: string;
  metavar?: string;
  short?: string;
}
type Presence<D> = D extends { required: true } ? true : D extends { default: unknown } ? true : false;

/** Option builders: each returns a declaration whose value type follows from it. */
export const opt = {
  string: <const D extends { required?: boolean; default?: string }>(o: Common & D) =>
    ({ kind: 'string', metavar: 'TEXT', ...o }) as OptionDef<string, Presence<D>>,
  integer: <const D extends { required?: boolean; default?: number; min?: number; max?: number }>(
    o: Common & D,
  ) => ({ kind: 'integer', metavar: 'N', ...o }) as OptionDef<number, Presence<D>>,
  number: <
    const D extends { required?: boolean; default?: number; min?: number; max?: number; above?: number },
  >(
    o: Common & D,
  ) => ({ kind: 'number', metavar: 'X', ...o }) as OptionDef<number, Presence<D>>,
  flag: (o: Common) => ({ kind: 'boolean', default: false, ...o }) as OptionDef<boolean, true>,
  choice: <const C extends readonly string[], const D extends { required?: boolean; default?: C[number] }>(
    choices: C,
    o: Common & D,
  ) => ({ kind: 'choice', choices, metavar: choices.join('|'), ...o }) as OptionDef<C[number], Presence<D>>,
  /** an input file; `maxBytes` raises the size limit for inputs read as a stream (event logs) */
  input: <const D extends { required?: boolean; maxBytes?: number }>(o: Common & D) =>
    ({ kind: 'input', metavar: 'FILE', ...o }) as OptionDef<string, Presence<D>>,
  inputDir: <const D extends { required?: boolean }>(o: Common & D) =>
    ({ kind: 'inputDir', metavar: 'DIR', ...o }) as OptionDef<string, Presence<D>>,
  output: (o: Common) => ({ kind: 'output', metavar: 'FILE', ...o }) as OptionDef<string, false>,
  outputDir: (o: Common) => ({ kind: 'outputDir', metavar: 'DIR', ...o }) as OptionDef<string, false>,
};

/**
 * The options every command spells the same way. `--format` chooses how the result is written
 * (`table` for people, `csv` for the command's main table, `json` for all of it), `--out FILE`
 * writes that same result to a file instead of standard output, and `--report DIR` is the
 * folder of report files (charts and data) of the commands that make one.
 */
export const std = {
  format: <const C extends readonly ('table' | 'csv' | 'json')[]>(choices: C, what?: string) =>
    opt.choice(choices, {
      default: choices[0] as C[number],
      help: `the result as ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}${what ? `; ${what}` : ''}`,
    }),
  out: () =>
    opt.output({
      help: 'write the result (in --format) to FILE instead of standard output; folders are created',
    }),
  report: (what: string) =>
    opt.outputDir({ help: `write ${what} into DIR (created if missing; same-named files are replaced)` }),
  seed,
};

const SEED_HELP = 'seed of the random draws; the same seed gives the same run';

/** `--seed N`: with a default, or optional where the input file carries its own seed. */
function seed(): OptionDef<number, false>;
function seed(fallback: number): OptionDef<number, true>;
function seed(fallback?: number): OptionDef<number> {
  return { kind: 'integer', metavar: 'N', min: 0, max: 2 ** 32 - 1, default: fallback, help: SEED_HELP };
}
