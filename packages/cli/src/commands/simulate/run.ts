import { resolve } from 'node:path';
import { eventToLine, lineToEvent } from '@gridtier/core/engine';
import { nodeCrypto } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import * as sim from '@gridtier/core/sim';
import { UsageError } from '../../framework/errors.js';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { openLedger, validChain } from '../../ledger-target.js';
import { consoleSummary, summaryJson, writeDayReport } from '../../report/day-report.js';
import type { options } from './command.js';
import { loadDay, loadFeederDay } from './load-day.js';

/** gridtier simulate: one day of the whole hierarchy on the market engine, its event log and report. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  validChain(o.chain);
  if ((o.scenario === undefined) === (o.feeder === undefined))
    throw new UsageError('give either --scenario FILE.json or --feeder FILE.dss');
  const { scenario, inventory, feeder } =
    o.scenario !== undefined ? loadDay(o.scenario, o.seed) : loadFeederDay(o.feeder as string, o.seed);
  io.stderr(
    `${scenario.name}: ${inventory.prosumers.length} prosumers in ${new Set(inventory.prosumers.map((p) => p.microgrid)).size} microgrids\n`,
  );
  const started = performance.now();
  const target = await openLedger(o.chain);
  let day: sim.DayRun;
  try {
    day = await sim.runDay(scenario, feeder(), inventory, {
      solver: await HighsSolver.create(),
      crypto: nodeCrypto(),
      ledger: target.ledger,
      onProgress: (message) =>
        io.stderr(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`),
    });
  } finally {
    await target.close();
  }
  const ms = performance.now() - started;
  io.stderr(`settled ${target.label}\n`);
  // the summary is made from the log as written, so a replay of events.jsonl gives the same bytes
  const lines: string[] = [];
  for await (const e of day.engine.log.read()) lines.push(eventToLine(e));
  const events = lines.map((l, i) => lineToEvent(l, 'events.jsonl', i + 1));
  const summary = sim.summarize(events);
  if (o.report !== undefined) {
    const files = writeDayReport(o.report, summary, sim.dayView(events), {
      'events.jsonl': `${lines.join('\n')}\n`,
      'timing.json': `${JSON.stringify({ totalMs: Math.round(ms), wallMs: roundAll(day.wallMs) }, null, 2)}\n`,
    });
    io.stderr(
      `report: ${resolve(o.report, 'index.html')} (+ ${files.length - 1} data files, ${lines.length} events)\n`,
    );
  }
  const text = o.format === 'json' ? summaryJson(summary) : consoleSummary(summary, day.wallMs, ms);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

const roundAll = (o: Record<string, number>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
