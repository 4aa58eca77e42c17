import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchContext, median } from '../bench-support.js';
import type { MemoryEventLog } from '../engine/index.js';
import { runScript } from '../grid/powerflow/index.js';
import { nodeCrypto, nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { runDay } from './day.js';
import { type Inventory, type ProsumerSite, parseInventory } from './inventory.js';
import { parseDayScenario } from './scenario.js';

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));

/**
 * The feeder's prosumers ten times over, each a tenth the size, so the feeder carries the same
 * power: ten times the sites, agents, orders and meters on the same grid.
 */
function tenfold(inv: Inventory): Inventory {
  const tenth = (kw: number) => kw / 10;
  const prosumers: ProsumerSite[] = inv.prosumers.flatMap((p) =>
    Array.from({ length: 10 }, (_, k) => ({
      ...p,
      id: `${p.id}x${k}`,
      baseLoadKw: tenth(p.baseLoadKw),
      pvKwp: tenth(p.pvKwp),
      battery: p.battery
        ? { energyKwh: tenth(p.battery.energyKwh), powerKw: tenth(p.battery.powerKw) }
        : null,
      ev: p.ev ? { ...p.ev, powerKwEach: tenth(p.ev.powerKwEach) } : null,
      thermostatic: p.thermostatic
        ? {
            ...p.thermostatic,
            acKwEach: tenth(p.thermostatic.acKwEach),
            waterHeaterKwEach: tenth(p.thermostatic.waterHeaterKwEach),
          }
        : null,
    })),
  );
  return { ...inv, prosumers };
}

/** Wall time of the default day and of a ten-times larger one, per market and agent kind. */
export async function bench(ctx: BenchContext) {
  const scenarioDoc = JSON.parse(readFileSync(example('scenarios/residential-day.json'), 'utf8'));
  const inventory = parseInventory(
    JSON.parse(readFileSync(example('feeders/gridtier-residential/der.json'), 'utf8')),
  );
  const solver = await HighsSolver.create();
  const cases = [
    { name: 'default day', inv: inventory, runs: 3 },
    { name: 'ten times larger', inv: tenfold(inventory), runs: 1 },
  ];
  const parts = [
    'lem-real-time',
    'lem-day-ahead',
    'household',
    'retailer',
    'world',
    'vpp',
    'dso',
    'layer1',
    'ledger',
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const scenario = parseDayScenario(scenarioDoc);
    const totals: number[] = [];
    let last: Record<string, number> = {};
    let events = 0;
    for (let i = 0; i < c.runs; i++) {
      const feeder = runScript(nodeScriptHost, example('feeders/gridtier-residential/master.dss')).state;
      ctx.gc();
      const t0 = performance.now();
      const r = await runDay(scenario, feeder, c.inv, { solver, crypto: nodeCrypto() });
      totals.push(performance.now() - t0);
      last = r.wallMs;
      events = (r.engine.log as MemoryEventLog).events.length;
    }
    rows.push([
      c.name,
      String(c.inv.prosumers.length),
      events.toLocaleString('en-US'),
      (median(totals) / 1000).toFixed(1),
      ...parts.map((p) => ((last[p] ?? 0) / 1000).toFixed(2)),
    ]);
  }
  return {
    title: 'One day on the market engine, residential example feeder (wall time, s; median of runs)',
    columns: ['case', 'prosumers', 'events', 'total', ...parts],
    rows,
    notes: [
      'targets: the default day ≤ 10 s, the ten-times day ≤ 30 s. Real-time LEM every 5 minutes (288 clearings with AC iterations), Layer I per microgrid every 30 minutes, VPP control rounds every 10 s, an AC power flow of the metered state every 5 minutes.',
    ],
  };
}
