import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../bench-support.js';
import { runScript } from '../grid/powerflow/index.js';
import { nodeCrypto, nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { type DayResult, runDay, type Tier } from './day.js';
import { type Inventory, type ProsumerSite, parseInventory } from './inventory.js';
import { parseDayScenario } from './scenario.js';

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));

/**
 * The feeder's prosumers ten times over, each a tenth the size, so the feeder carries the same
 * power: ten times the sites, trades and meters on the same grid.
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

/** Wall time of the default day and of a ten-times larger one, split per tier. */
export async function bench(ctx: BenchContext) {
  const scenarioDoc = JSON.parse(readFileSync(example('scenarios/residential-day.json'), 'utf8'));
  const inventory = parseInventory(
    JSON.parse(readFileSync(example('feeders/gridtier-residential/der.json'), 'utf8')),
  );
  const solver = await HighsSolver.create();
  const cases: { name: string; inv: Inventory; devicesPerUnit: number }[] = [
    { name: 'default day', inv: inventory, devicesPerUnit: 1 },
    { name: 'ten times larger', inv: tenfold(inventory), devicesPerUnit: 14 },
  ];
  const tiers: Tier[] = [
    'prices',
    'households',
    'vpp',
    'lem-day-ahead',
    'p2p',
    'lem-real-time',
    'grid',
    'settlement',
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const scenario = parseDayScenario({
      ...scenarioDoc,
      vpp: { ...scenarioDoc.vpp, devicesPerUnit: c.devicesPerUnit },
    });
    const feeder = runScript(nodeScriptHost, example('feeders/gridtier-residential/master.dss')).state;
    ctx.gc();
    const t0 = performance.now();
    const r: DayResult = await runDay(scenario, feeder, c.inv, { solver, crypto: nodeCrypto() });
    const totalMs = performance.now() - t0;
    const devices = r.vpps.reduce((a, v) => a + v.devices, 0);
    rows.push([
      c.name,
      String(r.prosumers),
      devices.toLocaleString('en-US'),
      (totalMs / 1000).toFixed(1),
      ...tiers.map((t) => ((r.timingMs[t] ?? 0) / 1000).toFixed(2)),
    ]);
  }
  return {
    title: 'One day of the whole hierarchy on the residential example feeder (wall time, s)',
    columns: ['case', 'prosumers', 'devices', 'total', ...tiers],
    rows,
    notes: [
      'target: the default day under 2 minutes. Real-time market every 5 minutes (288 clears), VPP control rounds every 10 s (8,640 per fleet), an AC power flow every 5 minutes; one run each.',
    ],
  };
}
