import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../../bench-support.js';
import { runScript } from '../../grid/powerflow/index.js';
import { CoinSolver, nodeScriptHost } from '../../node.js';
import { HighsSolver, type LpSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { marketBuses, syntheticOrders } from './test-support.js';

/**
 * The market at utility scale: one real-time interval and the day ahead on the IEEE 8500-node
 * feeder, on HiGHS (WebAssembly, capped at 2 GiB) and on COIN-OR CLP/CBC (native) side by side.
 * One run each: a day ahead here takes minutes.
 */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  const columns = [
    'case',
    'solver',
    'status',
    'AC iterations (linearizations)',
    'balance gap kW',
    'total ms',
    'build ms',
    'LP ms',
    'power flow ms',
    'model cols × rows',
    'heap MB',
  ];
  const script = ctx.sharedDir && join(ctx.sharedDir, 'reference', 'opendss', 'cases', 'ieee8500.dss');
  if (!script || !existsSync(script)) {
    return { title: 'Local energy market on IEEE 8500', columns, rows, notes: ['skipped: no ../shared'] };
  }
  const run = runScript(nodeScriptHost, script);
  const buses = marketBuses(run.solver!.network);
  const iso = Array.from(
    { length: 24 },
    (_, h) => 35 + 15 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + (h >= 17 && h <= 20 ? 30 : 0),
  );
  const solvers: { name: string; make: () => Promise<LpSolver> }[] = [
    { name: 'HiGHS', make: HighsSolver.create },
  ];
  if (CoinSolver.available()) solvers.push({ name: 'CLP/CBC', make: async () => new CoinSolver() });
  const cases = [
    {
      name: 'RTM one 5-min interval, 200 orders × 3 steps',
      market: 'rtm',
      iso: [62],
      count: 200,
      storage: 0,
    },
    { name: 'DAM 24 h, 400 orders × 3 steps', market: 'dam', iso, count: 400, storage: 0 },
  ];
  for (const c of cases) {
    const doc = {
      market: c.market,
      isoPrices: c.iso,
      orders: syntheticOrders(buses, c.count, c.storage, 2026),
    };
    for (const s of solvers) {
      const solver = await s.make();
      ctx.gc();
      let size = '';
      const t0 = performance.now();
      let row: string[];
      try {
        const r = await clearMarket(run.state, parseOrders(doc), solver, {
          onModel: (m) => (size = `${m.numCols} × ${m.numRows}`),
        });
        row = [
          r.status,
          `${r.iterations.length} (${r.convergence.linearizations})`,
          r.convergence.balanceMismatchKw.toExponential(1),
          (performance.now() - t0).toFixed(0),
          r.timing.buildMs.toFixed(0),
          r.timing.solveMs.toFixed(0),
          r.timing.powerFlowMs.toFixed(0),
        ];
      } catch (e) {
        row = [
          `failed: ${(e as Error).message.slice(0, 80)}`,
          '',
          '',
          (performance.now() - t0).toFixed(0),
          '',
          '',
          '',
        ];
      } finally {
        await solver.close?.();
      }
      rows.push([c.name, s.name, ...row, size, (process.memoryUsage().heapUsed / 1e6).toFixed(0)]);
    }
  }
  return {
    title: 'Local energy market on IEEE 8500 (one run each)',
    columns,
    rows,
    notes: ['targets: DAM (≥ 1,000 orders, ≥ 100 batteries) ≤ 20 s, one RTM interval ≤ 1 s'],
  };
}
