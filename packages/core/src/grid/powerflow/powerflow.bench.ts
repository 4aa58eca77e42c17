import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, median } from '../../bench-support.js';
import { nodeScriptHost } from '../../node.js';
import { runScript } from './run-script.js';

const cases = ['ieee13', 'ieee123', 'ieee8500', 'ieee8500_unbal', 'ieee34', 'ieee37'];
const warmups = 5;
const runs = 15;

/**
 * OpenDSS's solve median for the 8500-node feeder on this machine kind, as the power-flow
 * issue states it (the reference folder holds no 8500 summary); the other cases read theirs.
 */
const openDssIeee8500SolveMs = 310;

function openDssSolveMs(refDir: string, name: string): number | undefined {
  const path = join(refDir, `${name}.summary.txt`);
  if (!existsSync(path)) return name.startsWith('ieee8500') ? openDssIeee8500SolveMs : undefined;
  const m = /solve only[^:]*: median ([\d.]+) ms/.exec(readFileSync(path, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

/** Solve time (network, Y build and factorization, iterations, controls) and parse time per case. */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  const notes: string[] = [];
  if (!ctx.sharedDir) {
    return {
      title: 'Power flow',
      columns: ['case'],
      rows: [],
      notes: ['skipped: ../shared with the IEEE feeders is absent'],
    };
  }
  const refDir = join(ctx.sharedDir, 'reference', 'opendss');
  for (const name of cases) {
    const script = join(refDir, 'cases', `${name}.dss`);
    if (!existsSync(script)) continue;
    for (let i = 0; i < warmups; i++) runScript(nodeScriptHost, script);
    const solve: number[] = [];
    const parse: number[] = [];
    let iterations = 0;
    for (let i = 0; i < runs; i++) {
      // collect the parse's garbage before each Solve's clock starts, so the solve is timed alone
      const r = runScript(nodeScriptHost, script, { beforeSolve: ctx.gc });
      solve.push(r.solveMs);
      parse.push(r.parseMs);
      iterations = r.result?.iterations ?? 0;
    }
    const ref = openDssSolveMs(refDir, name);
    const ours = median(solve);
    rows.push([
      name,
      String(runs),
      String(iterations),
      median(parse).toFixed(2),
      ours.toFixed(3),
      `${Math.min(...solve).toFixed(3)}–${Math.max(...solve).toFixed(3)}`,
      ref === undefined ? '-' : ref.toFixed(3),
      ref === undefined ? '-' : (ours / ref).toFixed(2),
    ]);
  }
  notes.push('ratio = GridTier solve median / OpenDSS solve median (below 1 is faster than OpenDSS)');
  return {
    title: 'Power flow: solve and parse medians (ms)',
    columns: [
      'case',
      'runs',
      'iterations',
      'parse median',
      'solve median',
      'solve min–max',
      'OpenDSS solve',
      'ratio',
    ],
    rows,
    notes,
  };
}
