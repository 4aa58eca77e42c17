import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, median } from '../../bench-support.js';
import { nodeScriptHost } from '../../node.js';
import { runScript } from '../powerflow/index.js';
import { Linearization } from './linearization.js';

/** Time to linearize a solved feeder and get the full response to one injection. */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  if (!ctx.sharedDir)
    return { title: 'Sensitivities', columns: ['case'], rows, notes: ['skipped: no ../shared'] };
  for (const name of ['ieee13', 'ieee123', 'ieee8500']) {
    const script = join(ctx.sharedDir, 'reference', 'opendss', 'cases', `${name}.dss`);
    if (!existsSync(script)) continue;
    const solver = runScript(nodeScriptHost, script).solver!;
    const lin = new Linearization(solver);
    // the last node: far from the source, where responses are largest
    const node = solver.network.nodes.length - 1;
    for (let i = 0; i < 3; i++) lin.responseTo(node, 'p');
    const times: number[] = [];
    let its = 0;
    for (let i = 0; i < 9; i++) {
      ctx.gc();
      const t0 = performance.now();
      its = lin.responseTo(node, i % 2 ? 'q' : 'p').gmresIterations;
      times.push(performance.now() - t0);
    }
    rows.push([name, String(solver.network.nodes.length), String(its), median(times).toFixed(3)]);
  }
  return {
    title: 'Sensitivities: response to one injection (ms)',
    columns: ['case', 'nodes', 'GMRES iterations', 'median'],
    rows,
  };
}
