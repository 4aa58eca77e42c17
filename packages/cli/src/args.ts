/** Minimal flag parser: positional arguments and `--name value` options. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], allowed: string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      options.set(name, value);
    } else positional.push(a);
  }
  return { positional, options };
}
