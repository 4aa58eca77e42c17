import { DssSyntaxError, type SourceLocation } from '../../errors/index.js';

/** One logical script line with comments removed and its position in the file. */
export interface ScriptLine {
  text: string;
  line: number;
}

/** A parameter of a command: `name=value` or a positional value. */
export interface Param {
  name: string | undefined;
  value: string;
  /** The opening delimiter when the value was written inside one: " ' ( [ { */
  quote: string | undefined;
}

export interface ParsedCommand {
  verb: string;
  params: Param[];
  location: SourceLocation;
}

const closing: Record<string, string> = { '"': '"', "'": "'", '(': ')', '[': ']', '{': '}' };

/**
 * Splits a script into lines, removing `!` and `//` comments outside quotes and
 * `/* ... *\/` blocks, which OpenDSS honours only where they open a line.
 */
export function splitScript(text: string): ScriptLine[] {
  const out: ScriptLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    let s = lines[i];
    if (inBlock) {
      const end = s.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      s = s.slice(end + 2);
    }
    const trimmed = s.trimStart();
    if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        continue;
      }
      s = trimmed.slice(end + 2);
    }
    s = stripComment(s).trim();
    if (s.length > 0) out.push({ text: s, line: i + 1 });
  }
  return out;
}

function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === closing[quote]) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '!') return s.slice(0, i);
    else if (c === '/' && s[i + 1] === '/') return s.slice(0, i);
  }
  return s;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === ',';

/**
 * Tokenizes one command line into a verb and parameters, the way OpenDSS's parser reads
 * them: white space and commas delimit, `=` joins a name to its value, and a value opened
 * by one of " ' ( [ { runs to the matching closer (nested brackets counted).
 */
export function parseCommand(text: string, location: SourceLocation): ParsedCommand {
  const tokens = tokenize(text, location);
  if (tokens.length === 0) throw new DssSyntaxError('empty command', { location });
  const first = tokens[0];
  if (first.name !== undefined) {
    // `Class.name.prop=value` written as a command: an implicit Edit
    return { verb: '', params: tokens, location };
  }
  return { verb: first.value, params: tokens.slice(1), location };
}

function tokenize(text: string, location: SourceLocation): Param[] {
  const params: Param[] = [];
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && isSpace(text[i])) i++;
  };
  const readValue = (): { value: string; quote: string | undefined } => {
    const c = text[i];
    if (c in closing) {
      const close = closing[c];
      let depth = 1;
      const start = ++i;
      while (i < n) {
        const d = text[i];
        if (d === close && --depth === 0) break;
        if (d === c && c !== close) depth++;
        i++;
      }
      // OpenDSS's parser lets an unclosed ' run to the end of the line (scripts use it as a
      // trailing remark); an unclosed bracket or double quote is a mistake worth naming
      if (i >= n && c === "'") return { value: text.slice(start).trim(), quote: c };
      if (i >= n) throw new DssSyntaxError(`unclosed ${c} in: ${text}`, { location });
      const value = text.slice(start, i);
      i++;
      return { value, quote: c };
    }
    const start = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '=') i++;
    return { value: text.slice(start, i), quote: undefined };
  };
  while (true) {
    skipSpace();
    if (i >= n) break;
    const first = readValue();
    let j = i;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (first.quote === undefined && text[j] === '=') {
      i = j + 1;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i >= n || text[i] === ',') {
        params.push({ name: first.value, value: '', quote: undefined });
        continue;
      }
      const v = readValue();
      params.push({ name: first.value, value: v.value, quote: v.quote });
    } else {
      params.push({ name: undefined, value: first.value, quote: first.quote });
    }
  }
  return params;
}
