/** Help texts generated from the commands' declarations, so they cannot drift from what is parsed. */
import { GLOBAL_OPTIONS, range } from './parse.js';
import { type AnyCommand, type CommandSpec, type GroupSpec, isGroup, type OptionDef } from './spec.js';

export interface Program {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly AnyCommand[];
}

const WIDTH = 100;

/** Word-wraps `text` to the help's width, continuation lines indented by `indent`. */
function wrap(text: string, indent: number, first = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let room = WIDTH - first;
  for (const w of words) {
    if (line && line.length + 1 + w.length > room) {
      lines.push(line);
      line = w;
      room = WIDTH - indent;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Two columns: a left part padded to a common width, the right part wrapped. */
function columns(rows: [string, string][], indent = 2): string {
  const w = Math.min(30, Math.max(...rows.map(([l]) => l.length)));
  return rows
    .map(([l, r]) => {
      const left = ' '.repeat(indent) + l;
      if (l.length > w) return `${left}\n${' '.repeat(indent + w + 2)}${wrap(r, indent + w + 2)}`;
      return `${left.padEnd(indent + w + 2)}${wrap(r, indent + w + 2)}`;
    })
    .join('\n');
}

function optionLeft(name: string, def: OptionDef): string {
  const short = def.short ? `-${def.short}, ` : '    ';
  return `${short}--${name}${def.kind === 'boolean' ? '' : ` ${def.metavar ?? 'VALUE'}`}`;
}

function optionRight(def: OptionDef): string {
  const notes: string[] = [];
  if (def.required) notes.push('required');
  if ((def.kind === 'integer' || def.kind === 'number') && range(def)) notes.push(range(def).trim());
  if (def.default !== undefined && def.kind !== 'boolean') notes.push(`default ${def.default}`);
  return notes.length > 0 ? `${def.help} (${notes.join('; ')})` : def.help;
}

/** "gridtier lem clear --feeder FILE --orders FILE [options]" */
export function usageLine(path: readonly string[], spec: CommandSpec): string {
  const parts = [...path];
  for (const [name, def] of Object.entries(spec.options as Record<string, OptionDef>))
    if (def.required) parts.push(`--${name} ${def.metavar ?? 'VALUE'}`);
  for (const p of spec.positionals ?? [])
    parts.push(p.required ? p.name : `[${p.name}${p.variadic ? '…' : ''}]`);
  if (Object.values(spec.options as Record<string, OptionDef>).some((d) => !d.required))
    parts.push('[options]');
  return parts.join(' ');
}

export function commandHelp(path: readonly string[], spec: CommandSpec): string {
  const opts = Object.entries(spec.options as Record<string, OptionDef>);
  const sections = [`${path.join(' ')} — ${spec.summary}`, `Usage: ${usageLine(path, spec)}`];
  if (spec.description)
    sections.push(
      spec.description
        .split('\n\n')
        .map((p) => wrap(p, 0))
        .join('\n\n'),
    );
  if (spec.positionals && spec.positionals.length > 0)
    sections.push(`Arguments:\n${columns(spec.positionals.map((p) => [p.name, p.help]))}`);
  const rows: [string, string][] = [
    ...opts
      .filter(([, d]) => d.required)
      .map(([n, d]): [string, string] => [optionLeft(n, d), optionRight(d)]),
    ...opts
      .filter(([, d]) => !d.required)
      .map(([n, d]): [string, string] => [optionLeft(n, d), optionRight(d)]),
    ['-h, --help', GLOBAL_OPTIONS.help.help],
    ['    --debug', GLOBAL_OPTIONS.debug.help],
  ];
  sections.push(`Options:\n${columns(rows)}`);
  if (spec.examples.length > 0)
    sections.push(
      `Examples:\n${spec.examples.map((e) => `  ${path[0]} ${e.args}\n      ${wrap(e.help, 6)}`).join('\n')}`,
    );
  sections.push(`Exit codes: 0 success, 1 input refused, 2 usage (see ${path[0]} --help).`);
  return `${sections.join('\n\n')}\n`;
}

export function groupHelp(path: readonly string[], group: GroupSpec): string {
  const rows = group.commands.map((c): [string, string] => [c.name, c.summary]);
  const sections = [
    `${path.join(' ')} — ${group.summary}`,
    `Usage: ${path.join(' ')} COMMAND [options]\n       ${path.join(' ')} COMMAND --help`,
  ];
  if (group.description) sections.push(wrap(group.description, 0));
  sections.push(`Commands:\n${columns(rows)}`);
  return `${sections.join('\n\n')}\n`;
}

/** Every runnable command with its full path: ["lem", "clear"] and its declaration. */
export function leafCommands(
  commands: readonly AnyCommand[],
  prefix: readonly string[] = [],
): { path: string[]; spec: CommandSpec }[] {
  return commands.flatMap((c) =>
    isGroup(c)
      ? leafCommands(c.commands, [...prefix, c.name])
      : [{ path: [...prefix, c.name], spec: c as CommandSpec }],
  );
}

export function programHelp(p: Program, version: string): string {
  const rows = leafCommands(p.commands).map(({ path, spec }): [string, string] => [
    path.join(' '),
    spec.summary,
  ]);
  return `${p.name} ${version} — ${p.summary}

Usage: ${p.name} COMMAND [options]
       ${p.name} COMMAND --help      a command's options and examples

Commands:
${columns(rows)}

Options:
${columns([
  ['-h, --help', 'show this help and exit (after a command: that command’s help)'],
  ['-V, --version', 'print the version and exit'],
  ['    --debug', GLOBAL_OPTIONS.debug.help],
])}

Conventions:
${columns([
  ['--format table|csv|json', 'table for people, csv the command’s main table, json all of the result'],
  ['--out FILE', 'the result, in --format, to FILE instead of standard output (written atomically)'],
  ['--report DIR', 'a folder of report files: charts and data (simulate, hems, vpp)'],
  ['--seed N', 'the same seed gives the same run'],
  ['inputs', 'named options (--feeder, --orders, --scenario …); each is checked before any work starts'],
  ['output', 'standard output carries the result; progress, warnings and refusals go to standard error'],
])}

Exit codes:
${columns([
  ['0', 'success; inputs refused one by one (orders, readings) are listed on standard error'],
  ['1', 'input refused: the message names the file:line or field; also when every input was refused'],
  ['2', 'usage: unknown or missing option, or a value of the wrong kind; the usage is shown'],
  ['70', 'an internal error, with --debug only (without it, internal errors exit 1)'],
])}
`;
}
