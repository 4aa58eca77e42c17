/**
 * The thin layer over node:util's parseArgs. parseArgs splits the words (long and short options,
 * `--name=value`, `--` ending the options) and refuses unknown options; this layer turns each
 * value into its declared type, applies defaults and required-ness, and words every refusal so
 * that it names the option and says what it wanted.
 */
import { parseArgs } from 'node:util';
import { closest, UsageError } from './errors.js';
import type { AnySpec, OptionDef, OptionDefs } from './spec.js';

/** Options every command takes besides its own. */
export const GLOBAL_OPTIONS = {
  help: { short: 'h', help: 'show this help and exit' },
  debug: { help: 'on an internal error, print its stack trace and exit 70' },
} as const;

export interface ParsedCommandLine {
  options: Record<string, unknown>;
  positionals: string[];
  help: boolean;
  debug: boolean;
}

/** True if -h or --help appears before `--`: help wins over any other mistake on the line. */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export function parseCommandLine(spec: AnySpec, argv: string[]): ParsedCommandLine {
  const debug = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--debug');
  if (asksForHelp(argv)) return { options: {}, positionals: [], help: true, debug };
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    debug: { type: 'boolean' },
  };
  for (const [name, def] of Object.entries(spec.options as OptionDefs)) {
    config[name] = { type: def.kind === 'boolean' ? 'boolean' : 'string' };
    if (def.short) config[name].short = def.short;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true });
  } catch (e) {
    // parseArgs's own refusals of the words; anything else is a fault in a declaration
    if (!String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw e;
    throw new UsageError(reword(e as Error & { code?: string }, spec));
  }
  const positionals = checkPositionals(spec, parsed.positionals);
  const options: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(spec.options as OptionDefs)) {
    const raw = parsed.values[name];
    if (raw === undefined || (def.kind === 'boolean' && raw === false)) {
      if (def.required) throw new UsageError(`--${name} ${def.metavar ?? ''} is required`.replace('  ', ' '));
      options[name] = def.default;
      continue;
    }
    options[name] = convert(name, def, raw);
  }
  return { options, positionals, help: false, debug };
}

/** parseArgs's messages, reworded to name the option and what it takes. */
function reword(e: Error & { code?: string }, spec: AnySpec): string {
  // "Option '-v, --verbose' does not take an argument": the long name where there is one
  const name = /--[A-Za-z0-9][\w-]*/.exec(e.message)?.[0] ?? /'(-[^' ,]+)/.exec(e.message)?.[1] ?? '';
  const known = [...Object.keys(spec.options), 'help', 'debug'];
  const bare = name.replace(/^-+/, '');
  const def = spec.options[bare] as OptionDef | undefined;
  const takes = def?.metavar ? ` (${def.metavar})` : '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = closest(bare, known);
      return `unknown option ${name}${guess ? `; did you mean --${guess}?` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(e.message)) return `${name} takes no value`;
      if (/ambiguous/.test(e.message))
        return `${name} needs a value${takes}; a value that starts with "-" is written ${name}=-VALUE`;
      return `${name} needs a value${takes}`;
    default:
      return e.message;
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function convert(name: string, def: OptionDef, raw: string | boolean | (string | boolean)[]): unknown {
  if (def.kind === 'boolean') return raw === true;
  const text = String(raw);
  const what = `--${name}`;
  if (text.trim() === '')
    throw new UsageError(`${what} needs a value${def.metavar ? ` (${def.metavar})` : ''}`);
  switch (def.kind) {
    case 'integer': {
      const v = Number(text);
      if (!INTEGER.test(text) || !Number.isSafeInteger(v))
        throw new UsageError(`${what} must be a whole number${range(def)}, not "${text}"`);
      checkRange(what, def, v, text);
      return v;
    }
    case 'number': {
      const v = Number(text);
      if (!DECIMAL.test(text) || !Number.isFinite(v))
        throw new UsageError(`${what} must be a number${range(def)}, not "${text}"`);
      checkRange(what, def, v, text);
      return v;
    }
    case 'choice': {
      const choices = def.choices ?? [];
      if (choices.includes(text)) return text;
      const guess = closest(text, choices);
      throw new UsageError(
        `${what} must be one of ${choices.join(', ')}, not "${text}"${guess ? `; did you mean ${guess}?` : ''}`,
      );
    }
    default:
      return text;
  }
}

/** "from 1 to 100", "≥ 100", "> 0" — the declared bounds in words. */
export function range(def: OptionDef): string {
  const parts: string[] = [];
  if (def.above !== undefined) parts.push(`> ${def.above}`);
  if (def.min !== undefined && def.max !== undefined) return ` from ${def.min} to ${def.max}`;
  if (def.min !== undefined) parts.push(`≥ ${def.min}`);
  if (def.max !== undefined) parts.push(`≤ ${def.max}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

function checkRange(what: string, def: OptionDef, v: number, text: string): void {
  const bad =
    (def.min !== undefined && v < def.min) ||
    (def.max !== undefined && v > def.max) ||
    (def.above !== undefined && !(v > def.above));
  if (bad) throw new UsageError(`${what} must be${range(def)}, not ${text}`);
}

function checkPositionals(spec: AnySpec, given: string[]): string[] {
  const declared = spec.positionals ?? [];
  const variadic = declared.at(-1)?.variadic === true;
  if (given.length > declared.length && !variadic) {
    const extra = given[declared.length];
    const inputs = Object.entries(spec.options as OptionDefs).filter(([, d]) => d.kind === 'input');
    const hint =
      inputs.length > 0 && !extra.startsWith('-')
        ? `; inputs are named: did you mean --${inputs[0][0]} ${extra}?`
        : '';
    throw new UsageError(`unexpected argument "${extra}"${hint}`);
  }
  declared.forEach((p, i) => {
    if (p.required && given[i] === undefined) throw new UsageError(`${p.name} is required`);
  });
  return given;
}
