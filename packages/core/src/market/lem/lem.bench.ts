import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, median } from '../../bench-support.js';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';
import { HighsSolver } from '../../opt/index.js';
import { Prng } from '../../random/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';

/** A seeded day of orders on a feeder: step offers and bids of 3 steps, and batteries. */
export function syntheticOrders(
  buses: { bus: string; phases: number[] }[],
  count: number,
  storage: number,
  seed: number,
) {
  const r = new Prng(seed);
  const orders: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.pick(buses);
    const offer = r.next() < 0.5;
    const base = offer ? r.uniform(15, 60) : r.uniform(25, 90);
    orders.push({
      id: `${offer ? 'o' : 'b'}${i}`,
      type: offer ? 'offer' : 'bid',
      participant: `p${i % 60}`,
      bus: at.bus,
      phases: r.next() < 0.5 ? at.phases : [r.pick(at.phases)],
      steps: [0, 1, 2].map((k) => ({ price: base + (offer ? 10 : -10) * k, quantityKw: r.uniform(2, 15) })),
    });
  }
  for (let i = 0; i < storage; i++) {
    const at = r.pick(buses);
    orders.push({
      id: `s${i}`,
      type: 'storage',
      participant: `bat${i}`,
      bus: at.bus,
      powerKw: r.uniform(10, 50),
      energyKwh: r.uniform(40, 200),
      initialSocPct: 50,
      minSocPct: 10,
      maxSocPct: 90,
      cyclingCost: 2,
    });
  }
  return orders;
}

/** Day-ahead (24 h) and one real-time interval on the IEEE 123-node feeder. */
export async function bench(ctx: BenchContext) {
  const rows: string[][] = [];
  const script = ctx.sharedDir && join(ctx.sharedDir, 'reference', 'opendss', 'cases', 'ieee123.dss');
  if (!script || !existsSync(script)) {
    return { title: 'Local energy market', columns: ['case'], rows, notes: ['skipped: no ../shared'] };
  }
  const solver = await HighsSolver.create();
  const state = runScript(nodeScriptHost, script).state;
  const net = runScript(nodeScriptHost, script).solver!.network;
  const buses = net.buses
    .map((bus, b) => ({
      bus,
      phases: net.busNodes[b].map((i) => net.nodes[i].node).filter((p) => p >= 1 && p <= 3),
    }))
    .filter((x) => x.phases.length > 0 && !['150', '150r', 'sourcebus', '610'].includes(x.bus));
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
  for (const c of cases) {
    const doc = {
      market: c.market,
      isoPrices: c.iso,
      orders: syntheticOrders(buses, c.count, c.storage, 2026),
    };
    for (let i = 0; i < c.warmups; i++) clearMarket(state, parseOrders(doc), solver);
    const total: number[] = [];
    const parts = { build: [] as number[], solve: [] as number[], pf: [] as number[] };
    let its = 0;
    let dlmps = 0;
    for (let i = 0; i < c.runs; i++) {
      ctx.gc();
      const t0 = performance.now();
      const r = clearMarket(state, parseOrders(doc), solver);
      total.push(performance.now() - t0);
      parts.build.push(r.timing.buildMs);
      parts.solve.push(r.timing.solveMs);
      parts.pf.push(r.timing.powerFlowMs);
      its = r.iterations.length;
      dlmps = r.dlmp.length;
    }
    rows.push([
      c.name,
      String(its),
      String(dlmps),
      median(total).toFixed(0),
      median(parts.build).toFixed(0),
      median(parts.solve).toFixed(0),
      median(parts.pf).toFixed(0),
    ]);
  }
  return {
    title: 'Local energy market on IEEE 123 (ms, medians)',
    columns: [
      'case',
      'AC iterations',
      'DLMPs',
      'total',
      'build (incl. sensitivities)',
      'LP solve',
      'power flow',
    ],
    rows,
    notes: ['targets: DAM ≤ 2000 ms, one RTM interval ≤ 100 ms'],
  };
}
