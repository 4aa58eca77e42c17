/**
 * A fuzz case: a command line and the files it names, generated from each command's declaration
 * and seeds. Option values are drawn by kind — numbers in and just outside their bounds and in
 * the shapes that break parsers, choices and their typos, input files mutated from the seeds or
 * replaced by empty files, binary junk, folders, missing paths and endless devices, output paths
 * that are new, existing, folders, under a file, unwritable or the same as an input — and the
 * whole line is then mutated (words dropped, doubled, or added: --help, --debug, --, unknowns).
 * Paths are written relative to the case's own folder as {CASE}, so a case is data: it can be
 * shown, saved and run again.
 */
import { basename } from 'node:path';
import fc from 'fast-check';
import type { OptionDef } from '../framework/spec.js';
import type { CommandCorpus, Seed } from './corpus.js';
import { applyEdits, mutations, NASTY_NUMBERS } from './mutate.js';

/** A file's content; null makes a folder. */
export type FileContent = string | Uint8Array | null;

export interface FuzzCase {
  /** the command fuzzed ("lem clear"), or "(top level)" */
  readonly label: string;
  /** the words after `gridtier`; {CASE} stands for the case's folder */
  readonly argv: readonly string[];
  /** files and folders made in the case's folder before the run (paths relative to it) */
  readonly files: Readonly<Record<string, FileContent>>;
}

export const CASE = '{CASE}';

/** Present in every case's folder: a plain file, an earlier output, a folder with a file in it. */
export const FURNITURE: Readonly<Record<string, FileContent>> = {
  'plain.txt': 'a plain file\n',
  'existing.out': 'the previous output, which a failed run must leave as it was\n',
  'existing-dir': null,
  'existing-dir/keep.txt': 'an earlier report file\n',
};

/**
 * How often each command is drawn, relative to the others (default DEFAULT_WEIGHT). A valid
 * `simulate` runs a whole day and `study savings` a day per seed (seconds of CPU each), `validate`
 * every reference case, and `clients` opens an embedded PostgreSQL (a second to start): drawn at
 * the default they would spend most of a campaign's time, so they are drawn far less often (a
 * 10⁵-case campaign still runs about ten of the first three and two hundred of each `clients`
 * command); their early refusals are also covered by refusals.test.ts. `serve` and `feeder-engine`
 * are not drawn: a valid line runs until interrupted; nor `devices simulate`, whose valid lines
 * connect fleets to brokers.
 */
const WEIGHT: Readonly<Record<string, number>> = {
  simulate: 1,
  'study savings': 1,
  validate: 1,
  'clients add': 20,
  'clients list': 20,
  'clients revoke': 20,
  // a server runs until it is stopped: its option refusals are covered by the CLI's own tests
  serve: 0,
  // the same for a feeder engine, which also needs a NATS server, and for a substation agent on one
  'feeder-engine': 0,
  substation: 0,
  // a fleet of MQTT clients on brokers, for minutes with large counts: its refusals are in refusals.test.ts
  'devices simulate': 0,
};
export const DEFAULT_WEIGHT = 1000;

/** How often the command at `path` is drawn, relative to the others. */
export const commandWeight = (path: readonly string[]) => WEIGHT[path.join(' ')] ?? DEFAULT_WEIGHT;
const TOP_LEVEL_WEIGHT = 500;

/**
 * Options that set how much work a valid run does (households × days, devices × seconds, seeds).
 * They are always given, and their valid values are drawn between the least and twice it, never
 * the examples' or the default's sizes: a run of 100 households for 7 days finds nothing that 2
 * for 2 days does not, at two hundred times the cost. Their bounds and malformed values are still drawn.
 */
const WORKLOAD: Readonly<Record<string, readonly string[]>> = {
  'hems simulate': ['households', 'days'],
  'vpp simulate': ['devices', 'seconds'],
  'study savings': ['seeds'],
};

interface Value {
  /** the word after the option; undefined for a flag */
  value?: string;
  files: Record<string, FileContent>;
}

const linux = process.platform === 'linux';

const fromSeed = (name: string, seed: Seed, mutate: boolean): fc.Arbitrary<Value> =>
  (mutate ? mutations(seed.ext) : fc.constant([])).map((edits) => ({
    value: `${CASE}/${name}.${seed.ext}`,
    files: { [`${name}.${seed.ext}`]: applyEdits(seed.text, edits) },
  }));

/** One of the seeds, each as often as its weight says (large feeders less often). */
const weighted = (seeds: readonly Seed[]): fc.Arbitrary<Seed> =>
  fc.oneof(...seeds.map((s) => ({ arbitrary: fc.constant(s), weight: s.weight })));

function inputFile(name: string, seeds: readonly Seed[], all: readonly Seed[]): fc.Arbitrary<Value> {
  const odd: fc.Arbitrary<Value>[] = [
    fc.constant({ value: `${CASE}/${name}.empty`, files: { [`${name}.empty`]: '' } }),
    fc
      .uint8Array({ maxLength: 4096 })
      .map((bytes) => ({ value: `${CASE}/${name}.bin`, files: { [`${name}.bin`]: bytes } })),
    fc
      .string({ maxLength: 200 })
      .map((text) => ({ value: `${CASE}/${name}.txt`, files: { [`${name}.txt`]: text } })),
    fc
      .constantFrom(
        `${CASE}/missing.json`,
        CASE,
        `${CASE}/existing-dir`,
        `${CASE}/plain.txt/below.json`,
        '',
        ...(linux ? ['/dev/null', '/dev/zero', '/dev/urandom'] : []),
      )
      .map((value) => ({ value, files: {} })),
  ];
  const arbs: fc.WeightedArbitrary<Value>[] = odd.map((arbitrary) => ({ arbitrary, weight: 1 }));
  if (seeds.length > 0) {
    const seed = weighted(seeds);
    arbs.push({ arbitrary: seed.chain((s) => fromSeed(name, s, true)), weight: 12 });
    arbs.push({ arbitrary: seed.chain((s) => fromSeed(name, s, false)), weight: 3 });
  }
  if (all.length > 0)
    arbs.push({ arbitrary: weighted(all).chain((s) => fromSeed(name, s, true)), weight: 2 });
  return fc.oneof(...arbs);
}

function inputDir(dirs: readonly string[]): fc.Arbitrary<Value> {
  return fc
    .constantFrom(...dirs, CASE, `${CASE}/existing-dir`, `${CASE}/missing`, `${CASE}/plain.txt`, '')
    .map((value) => ({ value, files: {} }));
}

/** Stands for the path of the case's first input, filled in once the whole line is drawn. */
const AN_INPUT = '{AN-INPUT}';

function output(examples: readonly string[], withInputs: boolean): fc.Arbitrary<Value> {
  const names = examples.length > 0 ? examples.map((e) => basename(e)) : ['result.out'];
  return fc
    .tuple(
      fc.constantFrom(...names),
      fc.constantFrom(
        'new',
        'deep',
        'existing',
        'folder',
        'below-a-file',
        ...(linux ? ['unwritable'] : []),
        ...(withInputs ? ['an-input'] : []),
      ),
    )
    .map(([name, where]) => {
      const value = {
        new: `${CASE}/${name}`,
        deep: `${CASE}/out/a/b/${name}`,
        existing: `${CASE}/existing.out`,
        folder: `${CASE}/existing-dir`,
        'below-a-file': `${CASE}/plain.txt/${name}`,
        unwritable: `/proc/gridtier-fuzz-${name}`,
        'an-input': AN_INPUT,
      }[where] as string;
      return { value, files: {} };
    });
}

function outputDir(): fc.Arbitrary<Value> {
  return fc
    .constantFrom(
      `${CASE}/report`,
      `${CASE}/out/deep/report`,
      `${CASE}/existing-dir`,
      `${CASE}/plain.txt`,
      `${CASE}/plain.txt/report`,
      ...(linux ? ['/proc/gridtier-fuzz-report'] : []),
    )
    .map((value) => ({ value, files: {} }));
}

const word = (arb: fc.Arbitrary<string>): fc.Arbitrary<Value> => arb.map((value) => ({ value, files: {} }));

function numberWords(
  def: OptionDef,
  integer: boolean,
  examples: readonly string[],
  clean: boolean,
  workload: boolean,
): fc.Arbitrary<string> {
  const lo = def.min ?? def.above ?? 0;
  // valid values near the lower bound: a case should take milliseconds (workload sizes grow with
  // them); a workload option's within twice its least
  const span = (workload ? 1 : 3) * Math.max(1, Math.abs(lo));
  const hi = Math.min(def.max ?? Number.POSITIVE_INFINITY, lo + span);
  const valid = integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }).map(String)
    : fc.double({ min: lo, max: hi, noNaN: true, minExcluded: def.above !== undefined }).map(String);
  const given = workload
    ? valid
    : fc.constantFrom(...examples, ...(def.default === undefined ? [] : [String(def.default)]), '1');
  if (clean) return fc.oneof(valid, given);
  // the bounds and just beyond them; not the upper bound itself, which for workload sizes is a
  // run of hours by design (5,000,000 devices for a day)
  const edges = [
    ...[def.min, def.above].flatMap((b) => (b === undefined ? [] : [b - 1, b, b + 0.5])),
    ...(def.max === undefined ? [] : [def.max + 1, def.max + 0.5]),
  ];
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: given, weight: 1 },
    { arbitrary: fc.constantFrom(...edges.map(String), '1'), weight: 2 },
    { arbitrary: fc.constantFrom(...NASTY_NUMBERS, '1.5', '+3', ' 7', '1_000', '٣', '1e3'), weight: 2 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  );
}

function choiceWords(choices: readonly string[], clean: boolean): fc.Arbitrary<string> {
  const c = fc.constantFrom(...choices);
  if (clean) return c;
  return fc.oneof(
    { arbitrary: c, weight: 8 },
    { arbitrary: c.map((x) => x.toUpperCase()), weight: 1 },
    { arbitrary: c.map((x) => x.slice(0, -1)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
  );
}

function optionValue(
  name: string,
  def: OptionDef,
  corpus: CommandCorpus,
  allSeeds: readonly Seed[],
  withInputs: boolean,
  clean: boolean,
): fc.Arbitrary<Value> {
  const examples = corpus.values.get(name) ?? [];
  const workload = WORKLOAD[corpus.path.join(' ')]?.includes(name) ?? false;
  switch (def.kind) {
    case 'boolean':
      return fc.constant({ files: {} });
    case 'integer':
    case 'number':
      return word(numberWords(def, def.kind === 'integer', examples, clean, workload));
    case 'choice':
      return word(choiceWords(def.choices ?? [], clean));
    case 'input':
      return inputFile(name, corpus.inputs.get(name) ?? [], allSeeds);
    case 'inputDir':
      return inputDir(corpus.dirs.get(name) ?? []);
    case 'output':
      return output(examples, withInputs);
    case 'outputDir':
      return outputDir();
    default:
      if (clean && examples.length > 0) return word(fc.constantFrom(...examples));
      return word(
        fc.oneof(
          { arbitrary: fc.constantFrom(...examples, 'http://127.0.0.1:9', 'ws://[::1'), weight: 3 },
          { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
        ),
      );
  }
}

/** The words of one option: `--name value`, `--name=value`, or `-s value`. */
function optionWords(name: string, def: OptionDef, v: Value, form: number): string[] {
  const flag = form === 2 && def.short ? `-${def.short}` : `--${name}`;
  if (v.value === undefined) return form === 1 ? [`${flag}=true`] : [flag];
  return form === 1 && flag.startsWith('--') ? [`${flag}=${v.value}`] : [flag, v.value];
}

/** Words added, dropped, doubled or cut anywhere in the line. */
const argvEdit = fc.tuple(
  fc.constantFrom('insert', 'insert', 'delete', 'duplicate', 'cut'),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.oneof(
    fc.constantFrom(
      '--help',
      '-h',
      '--debug',
      '--debug',
      '--version',
      '--',
      '-',
      '-zz',
      '--no-such-option',
      'stray',
      '--format',
      '--out',
    ),
    fc.string({ maxLength: 12 }),
  ),
);

function applyArgvEdits(words: string[], edits: readonly (readonly [string, number, string])[]): string[] {
  const w = [...words];
  for (const [how, a, extra] of edits) {
    const i = Math.floor(a * (w.length + 1));
    if (how === 'insert') w.splice(i, 0, extra);
    else if (how === 'delete') w.splice(i, 1);
    else if (how === 'duplicate' && i < w.length) w.splice(i, 0, w[i]);
    else if (how === 'cut') w.length = Math.min(w.length, i);
  }
  return w;
}

/**
 * A command's cases: half of them "clean" (required options given, values of the right kind, the
 * line not mutated) so that the files are what is fuzzed, half with everything fuzzed.
 */
function commandCase(corpus: CommandCorpus, allSeeds: readonly Seed[]): fc.Arbitrary<FuzzCase> {
  return fc.oneof(commandLine(corpus, allSeeds, true), commandLine(corpus, allSeeds, false));
}

function commandLine(
  corpus: CommandCorpus,
  allSeeds: readonly Seed[],
  clean: boolean,
): fc.Arbitrary<FuzzCase> {
  const entries = Object.entries(corpus.spec.options) as [string, OptionDef][];
  const withInputs = entries.some(([, d]) => d.kind === 'input');
  const workload = WORKLOAD[corpus.path.join(' ')] ?? [];
  const options = entries.map(([name, def]) =>
    fc.record({
      present: fc
        .integer({ min: 0, max: 9 })
        .map((r) => workload.includes(name) || r < (def.required ? (clean ? 10 : 9) : 5)),
      form: fc.integer({ min: 0, max: 5 }).map((f) => (clean && def.kind === 'boolean' ? 0 : f)),
      value: optionValue(name, def, corpus, allSeeds, withInputs, clean),
    }),
  );
  return fc
    .tuple(
      fc.tuple(...options),
      fc.shuffledSubarray(
        entries.map((_, i) => i),
        { minLength: entries.length },
      ),
      clean
        ? fc.constant([] as (typeof argvEdit extends fc.Arbitrary<infer E> ? E : never)[])
        : fc.array(argvEdit, { maxLength: 2 }),
    )
    .map(([drawn, order, edits]) => {
      const files: Record<string, FileContent> = {};
      let words: string[] = [];
      let firstInput = `${CASE}/missing.json`;
      const sizes: string[][] = [];
      for (const i of order) {
        const [name, def] = entries[i];
        const d = drawn[i];
        if (!d.present) continue;
        Object.assign(files, d.value.files);
        const w = optionWords(name, def, d.value, d.form);
        words.push(...w);
        if (workload.includes(name)) sizes.push(w);
        if (def.kind === 'input' && firstInput.endsWith('/missing.json'))
          firstInput = d.value.value ?? firstInput;
      }
      words = applyArgvEdits(
        words.map((w) => w.replace(AN_INPUT, firstInput)),
        edits,
      );
      // a workload option the edits dropped is given again first: without it the run is the
      // default's size (seconds), which the line's other words do not need
      const lost = sizes.filter((w) => !words.some((x) => x === w[0] || x.startsWith(`${w[0]}=`)));
      return { label: corpus.path.join(' '), argv: [...corpus.path, ...lost.flat(), ...words], files };
    });
}

function topLevelCase(corpora: readonly CommandCorpus[]): fc.Arbitrary<FuzzCase> {
  // not the words of commands that are never drawn: a bare `serve` runs a server until it is stopped
  const names = [...new Set(corpora.filter((c) => commandWeight(c.path) > 0).flatMap((c) => c.path))];
  const w = fc.oneof(
    {
      arbitrary: fc.constantFrom(...names, 'help', '--help', '-h', '--version', '-V', '--debug', '--', ''),
      weight: 4,
    },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  );
  return fc.array(w, { maxLength: 4 }).map((argv) => ({ label: '(top level)', argv, files: {} }));
}

/** Every case the harness draws: each command (weighted) and the top level. */
export function fuzzCase(corpora: readonly CommandCorpus[]): fc.Arbitrary<FuzzCase> {
  const allSeeds = [...new Set(corpora.flatMap((c) => [...c.inputs.values()].flat()))];
  return fc.oneof(
    { arbitrary: topLevelCase(corpora), weight: TOP_LEVEL_WEIGHT },
    ...corpora.map((c) => ({
      arbitrary: commandCase(c, allSeeds),
      weight: commandWeight(c.path),
    })),
  );
}
