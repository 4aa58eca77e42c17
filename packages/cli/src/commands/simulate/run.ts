import { dirname, resolve } from 'node:path';
import { InvalidValueError } from '@gridtier/core/errors';
import { runScript } from '@gridtier/core/grid/powerflow';
import { nodeCrypto } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import * as sim from '@gridtier/core/sim';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { limitedScriptHost, readJsonObject } from '../../inputs.js';
import { openLedger, validChain } from '../../ledger-target.js';
import { consoleSummary, summaryJson, writeDayReport } from '../../report/day-report.js';
import type { options } from './command.js';

/** gridtier simulate: one day of the whole hierarchy on a feeder, with a report folder. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  validChain(o.chain);
  const doc = readJsonObject(o.scenario);
  if (o.seed !== undefined) doc.seed = o.seed;
  const scenario = sim.parseDayScenario(doc, o.scenario);
  const base = dirname(resolve(o.scenario));
  const feederPath = resolve(base, scenario.feeder);
  const inventoryPath = resolve(base, scenario.inventory);
  const inventory = sim.parseInventory(readJsonObject(inventoryPath), inventoryPath);
  const run = runScript(limitedScriptHost(), feederPath);
  if (!run.result?.converged)
    throw new InvalidValueError(`${feederPath}: the feeder's base power flow does not converge`);
  const started = performance.now();
  const target = await openLedger(o.chain);
  let result: sim.DayResult;
  try {
    result = await sim.runDay(scenario, run.state, inventory, {
      solver: await HighsSolver.create(),
      crypto: nodeCrypto(),
      ledger: target.ledger,
      onProgress: (tier, message) =>
        io.stderr(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${tier.padEnd(13)} ${message}\n`),
    });
  } finally {
    await target.close();
  }
  io.stderr(`settled ${target.label}\n`);
  if (o.report !== undefined) {
    const files = writeDayReport(o.report, result);
    io.stderr(`report: ${resolve(o.report, 'index.html')} (+ ${files.length - 1} data files)\n`);
  }
  const text =
    o.format === 'json' ? summaryJson(result) : consoleSummary(result, performance.now() - started);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}
