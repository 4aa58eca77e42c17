import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { GridTierError } from '@gridtier/core/errors';
import type { MonitorObj } from '@gridtier/core/grid/dss';
import { runScript } from '@gridtier/core/grid/powerflow';
import { nodeScriptHost } from '@gridtier/core/node';
import { compareLn, readCsv } from './compare.js';

/** What a published network must meet against OpenDSS-C (issue limits for unmodified scripts). */
export const publishedLimits = {
  vPu: 1e-5,
  angleDeg: 0.01,
  lossPct: 0.1,
  monitorV: 1e-4,
  timeSeriesVPu: 1e-4,
};

export type PublishedStatus = 'pass' | 'FAIL' | 'runs' | 'refused' | 'crash';

export interface PublishedRow {
  /** the reference case's name, or the script's path below feeders/published */
  network: string;
  script: string;
  hasReference: boolean;
  status: PublishedStatus;
  nodes: number;
  maxDvPu: number;
  maxDangleDeg: number;
  lossErrPct: number;
  iterations: string;
  ms: number;
  note: string;
}

const scriptPattern =
  /^\s*(?:compile|redirect)\s+(?:file=)?(?:"([^"]+)"|\(([^)]+)\)|\[([^\]]+)\]|'([^']+)'|(\S+))/gim;

/** Files a script compiles or redirects to, resolved against its folder. */
function referencedScripts(file: string): string[] {
  const text = readFileSync(file, 'latin1');
  return [...text.matchAll(scriptPattern)].map((m) => {
    const target = (m.slice(1).find((g) => g !== undefined) ?? '').replaceAll('\\', '/');
    return resolve(dirname(file), target).toLowerCase();
  });
}

function dssFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return dssFiles(p);
    return f.toLowerCase().endsWith('.dss') ? [p] : [];
  });
}

/**
 * The published networks' entry scripts: every script that defines a circuit or compiles
 * others and that no other published script compiles or redirects to.
 */
export function entryScripts(publishedDir: string): string[] {
  const files = dssFiles(publishedDir).sort();
  const referenced = new Set<string>();
  for (const f of files)
    for (const r of referencedScripts(f)) {
      referenced.add(r);
      referenced.add(`${r}.dss`);
    }
  return files.filter((f) => {
    if (referenced.has(f.toLowerCase())) return false;
    const text = readFileSync(f, 'latin1');
    return /^\s*new\s+(object=)?circuit\./im.test(text) || /^\s*(compile|redirect)\s/im.test(text);
  });
}

function summaryNumber(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

function emptyRow(network: string, script: string, hasReference: boolean): PublishedRow {
  return {
    network,
    script,
    hasReference,
    status: 'runs',
    nodes: 0,
    maxDvPu: Number.NaN,
    maxDangleDeg: Number.NaN,
    lossErrPct: Number.NaN,
    iterations: '',
    ms: 0,
    note: '',
  };
}

/** Runs one script; a refusal (any GridTierError) is a row naming where and why, a crash is a failure. */
function runOne(row: PublishedRow, path: string, shared: string, refDir?: string): PublishedRow {
  const t0 = performance.now();
  try {
    const run = runScript(nodeScriptHost, path, { cwd: dirname(path) });
    row.ms = performance.now() - t0;
    const r = run.result!;
    row.nodes = r.voltages.length;
    row.iterations = `${r.iterations}`;
    row.status = r.converged ? 'runs' : 'FAIL';
    if (!r.converged) row.note = 'did not converge';
    if (refDir) compareWithReference(row, r, refDir);
    if (refDir && existsSync(join(refDir, 'monitor_head.csv'))) compareMonitors(row, run.state, refDir);
  } catch (e) {
    row.ms = performance.now() - t0;
    if (!(e instanceof GridTierError)) {
      row.status = 'crash';
      row.note = `${(e as Error).name}: ${(e as Error).message}`;
      return row;
    }
    row.status = 'refused';
    row.note = e.message.replaceAll(`${shared}/`, '');
  }
  return row;
}

function compareWithReference(
  row: PublishedRow,
  r: NonNullable<ReturnType<typeof runScript>['result']>,
  refDir: string,
): void {
  const summary = readFileSync(join(refDir, 'summary.txt'), 'utf8');
  const refLossKw = summaryNumber(summary, /total losses \(sum of 'export losses'[^:]*: ([\d.eE+-]+) kW/);
  const refIterations = summaryNumber(summary, /^iterations \(total[^:]*: (\d+)/m);
  row.iterations = `${r.iterations} (${Number.isNaN(refIterations) ? '?' : refIterations})`;
  const cmp = compareLn(r, readCsv(join(refDir, 'voltages.csv')), 'vmag_pu');
  row.maxDvPu = cmp.dv;
  row.maxDangleDeg = cmp.da;
  row.lossErrPct = (Math.abs(r.lossesKw - refLossKw) / Math.abs(refLossKw)) * 100;
  // a time series ends where its last step converged: OpenDSS's tolerance (1e-4) bounds the match
  const vLimit = existsSync(join(refDir, 'monitor_head.csv'))
    ? publishedLimits.timeSeriesVPu
    : publishedLimits.vPu;
  const ok =
    r.converged &&
    cmp.missing === 0 &&
    cmp.dv <= vLimit &&
    cmp.da <= publishedLimits.angleDeg &&
    row.lossErrPct <= publishedLimits.lossPct;
  row.status = ok ? 'pass' : 'FAIL';
  const notes = [];
  if (cmp.missing > 0) notes.push(`${cmp.missing} of ${cmp.n} reference nodes missing`);
  if (cmp.dv > vLimit) notes.push(`worst node ${cmp.worst}`);
  row.note = notes.join('; ');
}

/**
 * A time series against OpenDSS's monitors, step by step: the far-end voltages relative to
 * OpenDSS's (|ΔV|/V, per unit of the monitored voltage) and the head powers relative to their
 * largest magnitude over the run.
 */
function compareMonitors(
  row: PublishedRow,
  state: ReturnType<typeof runScript>['state'],
  refDir: string,
): void {
  const mine = (name: string) => state.get<MonitorObj>('Monitor', name)?.record;
  const notes: string[] = [];
  let ok = true;
  for (const [name, kind] of [
    ['monitor_farend', 'V'],
    ['monitor_head', 'PQ'],
  ] as const) {
    const ref = readCsv(join(refDir, `${name}.csv`));
    const rec = mine(name);
    if (!rec || rec.rows.length !== ref.length) {
      notes.push(`${name}: ${rec?.rows.length ?? 0} of ${ref.length} samples`);
      ok = false;
      continue;
    }
    const cols = rec.header
      .map((h, i) => ({ h, i: i + 2 }))
      .filter(({ h }) => (kind === 'V' ? /^V\d+$/.test(h) : /^[PQ]\d+ /.test(h)));
    const peak = Math.max(...ref.flatMap((r) => cols.map(({ h }) => Math.abs(Number(r[h])))));
    let worst = 0;
    ref.forEach((r, step) => {
      for (const { h, i } of cols) {
        const want = Number(r[h]);
        const d = Math.abs(rec.rows[step][i] - want) / (kind === 'V' ? Math.abs(want) : peak);
        worst = Math.max(worst, d);
      }
    });
    const limit = kind === 'V' ? publishedLimits.monitorV : 1e-3;
    ok &&= worst <= limit;
    notes.push(
      `${name} ${kind === 'V' ? 'max |ΔV|/V' : 'max |ΔP|,|ΔQ| of peak'} ${worst.toExponential(2)} over ${ref.length} steps`,
    );
  }
  if (!ok && row.status === 'pass') row.status = 'FAIL';
  row.note = [row.note, ...notes, 'energy meters not compared'].filter((n) => n).join('; ');
}

/**
 * Every published network: the reference cases (OpenDSS-C's solutions) compared node by node,
 * and every other entry script run unmodified, or refused with the feature and file:line.
 */
export function validatePublished(shared: string): PublishedRow[] {
  const refRoot = join(shared, 'reference', 'opendss-published');
  const publishedDir = join(shared, 'feeders', 'published');
  const rows: PublishedRow[] = [];
  const covered = new Set<string>();
  if (existsSync(refRoot))
    for (const name of readdirSync(refRoot).sort()) {
      const casePath = join(refRoot, name, 'case.dss');
      if (!existsSync(casePath)) continue;
      const scripts = referencedScripts(casePath);
      for (const s of scripts) covered.add(s);
      const script = scripts[0] ? relative(shared, scripts[0]) : 'case.dss';
      rows.push(runOne(emptyRow(name, script, true), casePath, shared, join(refRoot, name)));
    }
  if (existsSync(publishedDir))
    for (const path of entryScripts(publishedDir)) {
      if (covered.has(path.toLowerCase())) continue;
      const rel = relative(publishedDir, path);
      rows.push(runOne(emptyRow(rel, relative(shared, path), false), path, shared));
    }
  return rows;
}
