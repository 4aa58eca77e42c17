/**
 * The fuzz harness's seeds, found rather than listed: every command's own examples name real input
 * files and sensible option values, so a command added to commands/index.ts is fuzzed from its
 * examples without touching the harness. OpenDSS seeds are joined by the IEEE and published feeders
 * of ../shared where present. Seeds are read once and made self-contained: the files a seed names
 * (a script's Redirect, a scenario's feeder) are rewritten to absolute paths, so a mutated copy
 * written anywhere still finds them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { leafCommands } from '../framework/help.js';
import type { OptionDef } from '../framework/spec.js';

export type LeafCommand = ReturnType<typeof leafCommands>[number];

export interface Seed {
  /** where the seed came from, for reports */
  readonly origin: string;
  /** lower-case extension without the dot: dss, json, csv … */
  readonly ext: string;
  readonly text: string;
  /** how often it is drawn relative to the other seeds of an input */
  readonly weight: number;
}

export interface CommandCorpus {
  readonly path: string[];
  readonly spec: LeafCommand['spec'];
  /** seeds per input option */
  readonly inputs: Map<string, Seed[]>;
  /** folders the examples name, per folder option */
  readonly dirs: Map<string, string[]>;
  /** the values the examples give other options (outputs included: their names carry the extension) */
  readonly values: Map<string, string[]>;
}

/** How often a seed is drawn unless it is listed as large. */
const SEED_WEIGHT = 10;

/**
 * Feeders of ../shared that every OpenDSS input is also fuzzed from (each a whole published
 * feeder), with how often each is drawn: the two large ones (907 and 1,379 buses, half a second
 * of CPU or more to read and solve against a few milliseconds for the others) a tenth as often,
 * so that they are still mutated thousands of times in a 10⁵-case campaign without taking most of it.
 */
const SHARED_FEEDERS: readonly [string, number][] = [
  ['feeders/13Bus/IEEE13Nodeckt.dss', SEED_WEIGHT],
  ['feeders/34Bus/ieee34Mod1.dss', SEED_WEIGHT],
  ['feeders/37Bus/ieee37.dss', SEED_WEIGHT],
  ['feeders/123Bus/IEEE123Master.dss', SEED_WEIGHT],
  ['feeders/published/IEEETestCases/4Bus-DY-Bal/4Bus-DY-Bal.DSS', SEED_WEIGHT],
  ['feeders/published/IEEETestCases/LVTestCaseNorthAmerican/Master.dss', 1],
  ['feeders/published/EPRITestCircuits/ckt5/Master_ckt5.dss', 1],
];

/** The words of an example's command line (examples are plain words, no quoting). */
function words(args: string): string[] {
  return args.split(/\s+/).filter((w) => w !== '');
}

/** The option values an example gives, after its command words. */
function exampleValues(path: string[], args: string): Map<string, string> {
  const w = words(args).slice(path.length);
  const values = new Map<string, string>();
  for (let i = 0; i < w.length; i++) {
    if (!w[i].startsWith('--')) continue;
    const [name, inline] = w[i].slice(2).split('=', 2);
    if (inline !== undefined) values.set(name, inline);
    else if (w[i + 1] !== undefined && !w[i + 1].startsWith('--')) values.set(name, w[++i]);
    else values.set(name, '');
  }
  return values;
}

/**
 * A file reference in a seed, made absolute when it names a file beside the seed: OpenDSS's
 * Redirect/Compile/BusCoords and `file=` values, and JSON strings that are paths.
 */
function absolute(ref: string, dir: string): string {
  if (ref === '' || isAbsolute(ref)) return ref;
  const target = resolve(dir, ref);
  return existsSync(target) ? target : ref;
}

export function selfContained(text: string, ext: string, dir: string): string {
  if (ext === 'json') {
    try {
      const doc = JSON.parse(text, (_, v) =>
        typeof v === 'string' && /[/.]/.test(v) ? absolute(v, dir) : v,
      );
      return JSON.stringify(doc, null, 2);
    } catch {
      return text;
    }
  }
  if (ext === 'dss')
    return text
      .replace(
        /^(\s*(?:redirect|compile|buscoords|buscoord)\s+)(\S+)/gim,
        (_, head: string, ref: string) => head + absolute(ref, dir),
      )
      .replace(/(\bfile\s*=\s*)([^\s)]+)/gi, (_, head: string, ref: string) => head + absolute(ref, dir));
  return text;
}

function readSeed(path: string, origin: string, weight = SEED_WEIGHT): Seed | undefined {
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  const ext = extname(path).slice(1).toLowerCase();
  return { origin, ext, text: selfContained(readFileSync(path, 'utf8'), ext, dirname(path)), weight };
}

const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
  const list = m.get(k) ?? [];
  if (!list.includes(v)) list.push(v);
  m.set(k, list);
};

/** Each command's seeds: its examples' files and values, and the shared feeders for OpenDSS inputs. */
export function buildCorpus(
  leaves: readonly LeafCommand[],
  root: string,
  sharedDir: string | undefined,
): CommandCorpus[] {
  const feeders = sharedDir
    ? SHARED_FEEDERS.flatMap(
        ([rel, weight]) => readSeed(join(sharedDir, rel), `../shared/${rel}`, weight) ?? [],
      )
    : [];
  return leaves.map(({ path, spec }) => {
    const inputs = new Map<string, Seed[]>();
    const dirs = new Map<string, string[]>();
    const values = new Map<string, string[]>();
    const seen = new Map<string, Seed>();
    for (const example of spec.examples)
      for (const [name, value] of exampleValues(path, example.args)) {
        const def = spec.options[name] as OptionDef | undefined;
        if (!def) continue;
        if (def.kind === 'input') {
          const seed = seen.get(value) ?? readSeed(resolve(root, value), value);
          if (!seed) continue;
          seen.set(value, seed);
          push(inputs, name, seed);
          if (seed.ext === 'dss') for (const f of feeders) push(inputs, name, f);
        } else if (def.kind === 'inputDir') {
          if (existsSync(resolve(root, value))) push(dirs, name, resolve(root, value));
        } else push(values, name, value);
      }
    return { path, spec, inputs, dirs, values };
  });
}
