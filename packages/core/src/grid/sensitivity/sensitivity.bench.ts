import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, median } from '../../bench-support.js';
import { nodeScriptHost } from '../../node.js';
import { runScript } from '../powerflow/index.js';
import { Linearization } from './linearization.js';

function timed<T>(ctx: BenchContext, runs: number, f: (i: number) => T): { ms: number; last: T } {
  const times: number[] = [];
  let last = f(0);
  for (let i = 0; i < runs; i++) {
    ctx.gc();
    const t0 = performance.now();
    last = f(i);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), last };
}

/**
 * Linearizing a solved feeder, then one adjoint (sensitivities of one quantity to every
 * injection) and one forward response (everything's response to one injection), with the
 * factorized Jacobian and with GMRES preconditioned by Y.
 */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  if (!ctx.sharedDir)
    return { title: 'Sensitivities', columns: ['case'], rows, notes: ['skipped: no ../shared'] };
  for (const name of ['ieee13', 'ieee123', 'ieee8500']) {
    const script = join(ctx.sharedDir, 'reference', 'opendss', 'cases', `${name}.dss`);
    if (!existsSync(script)) continue;
    const solver = runScript(nodeScriptHost, script).solver!;
    // the last node: far from the source, where responses are largest
    const node = solver.network.nodes.length - 1;
    for (const method of ['direct', 'gmres'] as const) {
      const setup = timed(ctx, 5, () => {
        const lin = new Linearization(solver, method);
        lin.sensitivitiesOf(lin.voltageMagnitude(node));
        return lin;
      });
      const lin = setup.last;
      const adjoint = timed(ctx, 9, () => lin.sensitivitiesOf(lin.voltageMagnitude(node)));
      const forward = timed(ctx, 9, (i) => lin.responseTo(node, i % 2 ? 'q' : 'p'));
      rows.push([
        name,
        String(solver.network.nodes.length),
        method,
        setup.ms.toFixed(3),
        adjoint.ms.toFixed(3),
        String(adjoint.last.gmresIterations),
        forward.ms.toFixed(3),
      ]);
    }
  }
  return {
    title: 'Sensitivities (ms, medians)',
    columns: [
      'case',
      'nodes',
      'method',
      'linearize + first adjoint',
      'adjoint',
      'GMRES iterations',
      'forward response (with all flows)',
    ],
    rows,
  };
}
