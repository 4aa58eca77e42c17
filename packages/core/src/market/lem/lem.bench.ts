import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, median } from '../../bench-support.js';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { marketBuses, syntheticOrders } from './test-support.js';

/** Day-ahead (24 h) and one real-time interval on the IEEE 123-node feeder. */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  const script = ctx.sharedDir && join(ctx.sharedDir, 'reference', 'opendss', 'cases', 'ieee123.dss');
  if (!script || !existsSync(script)) {
    return { title: 'Local energy market', columns: ['case'], rows, notes: ['skipped: no ../shared'] };
  }
  const solver = await HighsSolver.create();
  const state = runScript(nodeScriptHost, script).state;
  const buses = marketBuses(runScript(nodeScriptHost, script).solver!.network);
  const iso = Array.from(
    { length: 24 },
    (_, h) => 35 + 15 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + (h >= 17 && h <= 20 ? 30 : 0),
  );
  const cases = [
    {
      name: 'DAM 24 h, 500 orders × 3 steps, 50 batteries',
      market: 'dam',
      iso,
      count: 500,
      storage: 50,
      runs: 5,
      warmups: 1,
    },
    {
      name: 'RTM one 5-min interval, 500 orders × 3 steps',
      market: 'rtm',
      iso: [62],
      count: 500,
      storage: 0,
      runs: 9,
      warmups: 5,
    },
  ];
  // before and after, side by side: the AC loop stopping at the first iterate within limits on the
  // full model (as it was), at the fixed point on the full model, and at the fixed point on the
  // reduced model (the default)
  const rules = [
    {
      name: 'first within limits, full model',
      balanceToleranceKw: Number.POSITIVE_INFINITY,
      fullModel: true,
    },
    { name: 'fixed point, full model', balanceToleranceKw: undefined, fullModel: true },
    { name: 'fixed point, reduced model', balanceToleranceKw: undefined, fullModel: false },
  ];
  for (const c of cases) {
    const doc = {
      market: c.market,
      isoPrices: c.iso,
      orders: syntheticOrders(buses, c.count, c.storage, 2026),
    };
    const clear = (rule: (typeof rules)[number]) =>
      clearMarket(state, parseOrders(doc), solver, {
        balanceToleranceKw: rule.balanceToleranceKw,
        fullModel: rule.fullModel,
      });
    for (let i = 0; i < c.warmups; i++) for (const rule of rules) await clear(rule);
    const runs = rules.map(() => ({
      total: [] as number[],
      build: [] as number[],
      solve: [] as number[],
      pf: [] as number[],
    }));
    const last: Awaited<ReturnType<typeof clearMarket>>[] = [];
    // interleaved, so both rules see the same machine load
    for (let i = 0; i < c.runs; i++) {
      for (const [k, rule] of rules.entries()) {
        ctx.gc();
        const t0 = performance.now();
        const r = await clear(rule);
        runs[k].total.push(performance.now() - t0);
        runs[k].build.push(r.timing.buildMs);
        runs[k].solve.push(r.timing.solveMs);
        runs[k].pf.push(r.timing.powerFlowMs);
        last[k] = r;
      }
    }
    const base = median(runs[0].total);
    rules.forEach((rule, k) => {
      const r = last[k];
      rows.push([
        c.name,
        rule.name,
        r.status,
        `${r.iterations.length} (${r.convergence.linearizations})`,
        r.convergence.balanceMismatchKw.toExponential(1),
        `${r.model.limitRows} / ${r.model.adjoints}`,
        median(runs[k].total).toFixed(0),
        (median(runs[k].total) / base).toFixed(2),
        median(runs[k].build).toFixed(0),
        median(runs[k].solve).toFixed(0),
        median(runs[k].pf).toFixed(0),
      ]);
    });
  }
  return {
    title: 'Local energy market on IEEE 123 (ms, medians)',
    columns: [
      'case',
      'AC loop stops at',
      'status',
      'AC iterations (linearizations)',
      'balance gap kW',
      'limit rows / adjoints',
      'total',
      'ratio',
      'build (incl. sensitivities)',
      'LP solve',
      'power flow',
    ],
    rows,
    notes: ['targets: DAM ≤ 1000 ms, one RTM interval ≤ 50 ms'],
  };
}
