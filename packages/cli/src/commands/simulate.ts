import { dirname, resolve } from 'node:path';
import { HighsSolver, InvalidValueError, runScript, sim } from '@gridtier/core';
import { nodeCrypto, nodeScriptHost } from '@gridtier/core/node';
import { parseArgs, UsageError } from '../args.js';
import { openLedger, validChain } from '../ledger-target.js';
import { readJson } from '../read-json.js';
import { consoleSummary, summaryJson, writeDayReport } from '../report/day-report.js';

const usage =
  'usage: gridtier simulate --scenario FILE [--seed N] [--out DIR] [--format text|json] [--chain embedded|RPC_URL]';

/** gridtier simulate: one day of the whole hierarchy on a feeder, with a report folder. */
export async function runSimulate(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, ['scenario', 'seed', 'out', 'format', 'chain']);
    validChain(args.options.get('chain'));
    if (!args.options.get('scenario')) throw new UsageError('--scenario is required');
    const seed = args.options.get('seed');
    if (seed !== undefined && !Number.isInteger(Number(seed)))
      throw new UsageError('--seed must be an integer');
    const f = args.options.get('format') ?? 'text';
    if (f !== 'text' && f !== 'json') throw new UsageError('--format must be text or json');
  } catch (e) {
    process.stderr.write(`gridtier simulate: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const path = args.options.get('scenario')!;
  const doc = readJson(path);
  if (args.options.get('seed') !== undefined) doc.seed = Number(args.options.get('seed'));
  const scenario = sim.parseDayScenario(doc, path);
  const base = dirname(resolve(path));
  const feederPath = resolve(base, scenario.feeder);
  const inventoryPath = resolve(base, scenario.inventory);
  const inventory = sim.parseInventory(readJson(inventoryPath), inventoryPath);
  const run = runScript(nodeScriptHost, feederPath);
  if (!run.result?.converged)
    throw new InvalidValueError(`${feederPath}: the feeder's base power flow does not converge`);
  const started = performance.now();
  const target = await openLedger(args.options.get('chain'));
  let result: sim.DayResult;
  try {
    result = await sim.runDay(scenario, run.state, inventory, {
      solver: await HighsSolver.create(),
      crypto: nodeCrypto(),
      ledger: target.ledger,
      onProgress: (tier, message) =>
        process.stderr.write(
          `[${((performance.now() - started) / 1000).toFixed(1)} s] ${tier.padEnd(13)} ${message}\n`,
        ),
    });
  } finally {
    await target.close();
  }
  process.stderr.write(`settled ${target.label}\n`);
  const out = args.options.get('out');
  if (out) {
    const files = writeDayReport(out, result);
    process.stderr.write(`report: ${resolve(out, 'index.html')} (+ ${files.length - 1} data files)\n`);
  }
  if (args.options.get('format') === 'json') process.stdout.write(summaryJson(result));
  else process.stdout.write(consoleSummary(result, performance.now() - started));
  return 0;
}
