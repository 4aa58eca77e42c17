/**
 * Corruptions of a seed file, as fast-check arbitraries (so a failing input shrinks to fewer and
 * smaller mutations): truncation, lines dropped, doubled or swapped, numbers replaced by the values
 * that break parsers and solvers (1e308, NaN, −0, 1e12 kW …), words replaced, stray text and
 * binary bytes, and for JSON structural edits at a random path (a value of the wrong type, a key
 * dropped or unknown, the document wrapped or nested deeply).
 */
import fc from 'fast-check';

/** Numbers in the shapes that have broken real parsers and solvers. */
export const NASTY_NUMBERS = [
  '0',
  '-0',
  '-1',
  '1e12',
  '-1e9',
  '1e308',
  '-1e308',
  '1e309',
  '1e-320',
  'NaN',
  'nan',
  'Infinity',
  '-inf',
  '99999999999999999999999',
  '0.0000001',
  '0x1F',
  '1,5',
  '',
] as const;

/** JSON values of every type and the extremes, for values of the wrong type or size. */
const jsonOddities = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'text',
  'NaN',
  '1e308',
  [],
  {},
  [null],
  { '': null },
  JSON.parse('{"__proto__": {"polluted": 1}}'),
);

type Edit = (text: string) => string;

/** Where in a text or list an edit applies: [0, 1), so that it always picks an element. */
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const lineEdit = (f: (lines: string[], i: number, j: number) => void) =>
  fc.tuple(fraction, fraction).map(
    ([a, b]): Edit =>
      (text) => {
        const lines = text.split('\n');
        f(lines, Math.floor(a * lines.length), Math.floor(b * lines.length));
        return lines.join('\n');
      },
  );

/** The k-th match of a pattern replaced. */
const tokenEdit = (pattern: RegExp, replacement: fc.Arbitrary<string>) =>
  fc.tuple(fraction, replacement).map(
    ([a, r]): Edit =>
      (text) => {
        const matches = [...text.matchAll(pattern)];
        if (matches.length === 0) return text;
        const m = matches[Math.floor(a * matches.length)];
        return text.slice(0, m.index) + r + text.slice(m.index + m[0].length);
      },
  );

const at = (f: (text: string, i: number) => string) =>
  fraction.map(
    (a): Edit =>
      (text) =>
        f(text, Math.floor(a * text.length)),
  );

const textEdits: fc.Arbitrary<Edit>[] = [
  at((t, i) => t.slice(0, i)),
  lineEdit((l, i) => l.splice(i, 1)),
  lineEdit((l, i) => l.splice(i, 0, l[i] ?? '')),
  lineEdit((l, i, j) => ([l[i], l[j]] = [l[j], l[i]])),
  tokenEdit(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, fc.constantFrom(...NASTY_NUMBERS)),
  tokenEdit(/[A-Za-z_][\w.]*/g, fc.oneof(fc.constantFrom('', 'x', 'New', 'Redirect', '=', '"'), fc.string())),
  fc.tuple(fraction, fc.string({ unit: 'binary', maxLength: 40 })).map(
    ([a, s]): Edit =>
      (t) => {
        const i = Math.floor(a * t.length);
        return t.slice(0, i) + s + t.slice(i);
      },
  ),
  at((t, i) => t.slice(0, i) + String.fromCharCode((t.charCodeAt(i) || 32) ^ 0x20) + t.slice(i + 1)),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => `\uFEFF${t}`),
];

/** OpenDSS: also whole commands and property values. */
const dssEdits: fc.Arbitrary<Edit>[] = [
  ...textEdits,
  tokenEdit(/=\s*[^\s]+/g, fc.constantFrom(...NASTY_NUMBERS.map((n) => `=${n}`), '=', '=(', '=[1 2', '=""')),
  tokenEdit(
    /^\s*\w+/gm,
    fc.constantFrom(
      'New',
      'Edit',
      'Solve',
      'Clear',
      'Set',
      'CalcVoltageBases',
      'Redirect',
      'More',
      '~',
      '//',
    ),
  ),
  fc.constantFrom<Edit>(
    (t) => t.replace(/^\s*(set\s+voltagebases|calcv\w*).*$/gim, ''),
    (t) => `${t}\nSolve\nSolve mode=daily`,
    (t) => `${t}\nNew Load.huge bus1=nowhere.1 phases=1 kv=1 kw=1e12`,
    (t) => `Redirect ${'nested/'.repeat(3)}missing.dss\n${t}`,
  ),
];

/** A JSON edit at a random path, applied to the parsed document. */
const jsonStructural = fc
  .tuple(
    fraction,
    fc.constantFrom('replace', 'delete', 'unknown-key', 'duplicate', 'stringify-number', 'huge-array'),
    jsonOddities,
  )
  .map(
    ([a, how, odd]): Edit =>
      (text) => {
        try {
          return structural(text, a, how, odd);
        } catch {
          // not JSON, or nested too deeply to walk: left as it is
          return text;
        }
      },
  );

function structural(text: string, a: number, how: string, odd: unknown): string {
  const doc: unknown = JSON.parse(text);
  const slots: [Record<string | number, unknown>, string | number][] = [];
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    for (const k of Object.keys(v)) {
      slots.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(doc);
  if (slots.length === 0) return JSON.stringify(odd);
  const [parent, key] = slots[Math.floor(a * slots.length)];
  switch (how) {
    case 'replace':
      parent[key] = odd;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'unknown-key':
      if (!Array.isArray(parent)) parent[`x${String(key)}`] = odd;
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      break;
    case 'stringify-number':
      if (typeof parent[key] === 'number') parent[key] = String(parent[key]);
      break;
    case 'huge-array': {
      // many copies of one value, about 200 kB of them: large, never endless
      const copies = Math.min(10_000, Math.floor(200_000 / (JSON.stringify(parent[key] ?? null).length + 1)));
      parent[key] = Array.from({ length: Math.max(2, copies) }, () => structuredClone(parent[key]));
      break;
    }
  }
  return JSON.stringify(doc);
}

const jsonEdits: fc.Arbitrary<Edit>[] = [
  jsonStructural,
  jsonStructural,
  jsonStructural,
  ...textEdits,
  fc.constantFrom<Edit>(
    (t) => `[${t}]`,
    (t) => `{"orders": ${t}}`,
    () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    () => 'null',
    () => '"text"',
    () => '1e999',
  ),
];

/** A sequence of edits for a seed of the given extension, applied in order. */
export function mutations(ext: string): fc.Arbitrary<Edit[]> {
  const edits = ext === 'json' ? jsonEdits : ext === 'dss' ? dssEdits : textEdits;
  return fc.array(fc.oneof(...edits), { minLength: 1, maxLength: 4 });
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  return edits.reduce((t, e) => e(t), text);
}
