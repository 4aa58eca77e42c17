import { nodeCrypto } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import * as sim from '@gridtier/core/sim';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { loadDay } from '../simulate/load-day.js';
import type { savingsOptions } from './command.js';

type Baseline = 'netMetering' | 'retailFeedIn';

interface Side {
  households: number;
  meanSavingsUsd: number;
  meanImportKwh: number;
  meanExportKwh: number;
  meanP2pUsd: number;
  meanRetailerUsd: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, x) => a + x, 0) / xs.length);
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function side(days: sim.HouseholdDay[], saving: (h: sim.HouseholdDay) => number): Side {
  return {
    households: days.length,
    meanSavingsUsd: r4(mean(days.map(saving))),
    meanImportKwh: r4(mean(days.map((h) => h.importKwh))),
    meanExportKwh: r4(mean(days.map((h) => h.exportKwh))),
    meanP2pUsd: r4(mean(days.map((h) => h.p2pUsd))),
    meanRetailerUsd: r4(mean(days.map((h) => h.retailerUsd))),
  };
}

/** gridtier study savings: every household-day's savings against both baselines, over many seeds. */
export async function run({ options: o, io }: RunContext<typeof savingsOptions>): Promise<number> {
  const { scenario, inventory, feeder } = loadDay(o.scenario);
  const solver = await HighsSolver.create();
  const all: { seed: number; day: sim.HouseholdDay }[] = [];
  const perSeed: { seed: number; netMetering: sim.Spread; retailFeedIn: sim.Spread }[] = [];
  for (let seed = o.from; seed < o.from + o.seeds; seed++) {
    const t0 = performance.now();
    const r = await sim.runDay({ ...scenario, seed }, feeder(), inventory, { solver, crypto: nodeCrypto() });
    const events = [];
    for await (const e of r.engine.log.read()) events.push(e);
    const s = sim.summarize(events);
    for (const day of s.households.perHousehold) all.push({ seed, day });
    perSeed.push({
      seed,
      netMetering: s.households.savingsVsNetMetering,
      retailFeedIn: s.households.savingsVsRetailFeedIn,
    });
    io.stderr(
      `seed ${seed}: median saving ${s.households.savingsVsNetMetering.medianUsd.toFixed(2)} $ vs net metering (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  }
  const baselines: Record<Baseline, (h: sim.HouseholdDay) => number> = {
    netMetering: (h) => h.costUsd - h.netMeteringUsd,
    retailFeedIn: (h) => h.costUsd - h.retailFeedInUsd,
  };
  const result = {
    scenario: scenario.name,
    seeds: perSeed.map((p) => p.seed),
    householdDays: all.length,
    baselines: Object.fromEntries(
      (Object.keys(baselines) as Baseline[]).map((b) => {
        const saving = baselines[b];
        const days = all.map((x) => x.day);
        const pooled = sim.spread(days.map(saving));
        return [
          b,
          {
            medianUsd: pooled.medianUsd,
            shareSaving: pooled.shareSaving,
            worstDecileUsd: pooled.worstDecileUsd,
            perSeedMedianUsd: perSeed.map((p) => p[b].medianUsd),
            // what sets the losers apart: their energy and where their money went, against the savers
            losers: side(
              days.filter((h) => saving(h) <= 0),
              saving,
            ),
            savers: side(
              days.filter((h) => saving(h) > 0),
              saving,
            ),
          },
        ];
      }),
    ),
  };
  const text =
    o.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : [
          `${result.scenario}: ${result.householdDays} household-days over seeds ${o.from}…${o.from + o.seeds - 1}`,
          ...Object.entries(result.baselines).map(
            ([b, x]) =>
              `vs ${b.padEnd(13)} median ${x.medianUsd.toFixed(2)} $, ${(100 * x.shareSaving).toFixed(1)} % save, worst decile ${x.worstDecileUsd.toFixed(2)} $; losers ${x.losers.households} (import ${x.losers.meanImportKwh.toFixed(1)} kWh, export ${x.losers.meanExportKwh.toFixed(1)} kWh, P2P ${x.losers.meanP2pUsd.toFixed(2)} $, retailer ${x.losers.meanRetailerUsd.toFixed(2)} $) vs savers (import ${x.savers.meanImportKwh.toFixed(1)}, export ${x.savers.meanExportKwh.toFixed(1)}, P2P ${x.savers.meanP2pUsd.toFixed(2)}, retailer ${x.savers.meanRetailerUsd.toFixed(2)})`,
          ),
          '',
        ].join('\n');
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}
