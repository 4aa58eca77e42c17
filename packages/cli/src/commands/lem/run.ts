import { parsePriceCsv } from '@gridtier/core/der/forecast';
import { InvalidValueError, TimeoutError } from '@gridtier/core/errors';
import { runScript } from '@gridtier/core/grid/powerflow';
import * as market from '@gridtier/core/market';
import { CoinSolver, WorkerLpSolver } from '@gridtier/core/node';
import type { LinearModel } from '@gridtier/core/opt';
import { UsageError } from '../../framework/errors.js';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { limitedScriptHost, readJsonObject, readText } from '../../inputs.js';
import type { options } from './command.js';

/** ISO prices from a JSON array, or a CSV of one price per line (the price last, an optional header). */
function readPrices(path: string): number[] {
  const text = readText(path);
  if (!text.trimStart().startsWith('[')) return parsePriceCsv(text, path);
  let prices: unknown;
  try {
    prices = JSON.parse(text);
  } catch (e) {
    throw new InvalidValueError(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(prices)) throw new InvalidValueError(`${path}: expected a JSON array of prices`);
  const bad = prices.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0)
    throw new InvalidValueError(`${path}: price [${bad}] is ${JSON.stringify(prices[bad])}, not a number`);
  return prices as number[];
}

function toCsv(r: market.LemResult): string {
  const rows = ['interval,bus,phase,total,energy,congestion,loss'];
  for (const d of r.dlmp)
    rows.push(
      [d.interval, d.bus, d.phase, d.total, d.energy, d.congestion, d.loss]
        .map((x) => (typeof x === 'number' ? Number(x.toPrecision(10)) : x))
        .join(','),
    );
  return `${rows.join('\n')}\n`;
}

function summary(r: market.LemResult): string {
  const lines = [
    `market: ${r.market}, ${r.intervals} intervals of ${r.intervalHours * 60} min, ${r.status}, cost ${r.objectiveUsd.toFixed(2)} $`,
    `AC iterations: ${r.iterations.map((i) => `${i.iteration}: ${i.criticalConstraints} critical, max loading ${(i.maxBranchLoading * 100).toFixed(1)} %, V ${i.minVoltagePu.toFixed(4)}–${i.maxVoltagePu.toFixed(4)} pu, ${i.violations} violations`).join(' | ')}`,
    `AC loop: ${r.convergence.converged ? 'converged' : 'not converged'} in ${r.convergence.iterations} iterations (${r.convergence.linearizations} linearizations), balance gap ${r.convergence.balanceMismatchKw.toExponential(1)} kW (tolerance ${r.convergence.balanceToleranceKw} kW)`,
    `model: ${r.model.columns} columns, ${r.model.rows} rows, ${r.model.limitRows} limit rows from ${r.model.adjoints} sensitivities (${r.model.reduced ? 'reduced' : 'full'})`,
    `binding: ${r.binding.length}, soft constraints relaxed: ${r.slackUse.length}, rejected orders: ${r.rejected.length}`,
    `settlement: losses ${r.energyBalance.reduce((a, b) => a + b.lossesKw * r.intervalHours, 0).toFixed(1)} kWh, DSO surplus ${r.dsoSurplusUsd.toFixed(2)} $`,
    `time: build ${r.timing.buildMs.toFixed(0)} ms, solve ${r.timing.solveMs.toFixed(0)} ms, power flow ${r.timing.powerFlowMs.toFixed(0)} ms`,
  ];
  for (const v of r.violations)
    lines.push(`violated t${v.interval} ${v.name}: ${v.value.toFixed(4)} (limit ${v.limit.toFixed(4)})`);
  for (const x of r.slackUse) lines.push(`relaxed t${x.interval} ${x.name}: ${x.amount.toFixed(3)}`);
  return `${lines.join('\n')}\n`;
}

/** The DLMPs per bus and phase over the intervals: lowest, mean and highest, $/MWh. */
function table(r: market.LemResult): string {
  const by = new Map<
    string,
    { bus: string; phase: number; lo: number; hi: number; sum: number; n: number }
  >();
  for (const d of r.dlmp) {
    const key = `${d.bus}.${d.phase}`;
    const x = by.get(key) ?? { bus: d.bus, phase: d.phase, lo: Infinity, hi: -Infinity, sum: 0, n: 0 };
    x.lo = Math.min(x.lo, d.total);
    x.hi = Math.max(x.hi, d.total);
    x.sum += d.total;
    x.n++;
    by.set(key, x);
  }
  const f = (v: number) => v.toFixed(2).padStart(10);
  const rows = [...by.values()].map(
    (x) => `${x.bus.padEnd(20)} ${String(x.phase).padStart(5)} ${f(x.lo)} ${f(x.sum / x.n)} ${f(x.hi)}`,
  );
  return `${summary(r)}\nDLMP, $/MWh over ${r.intervals} interval(s)\n${'bus'.padEnd(20)} ${'phase'.padStart(5)} ${'low'.padStart(10)} ${'mean'.padStart(10)} ${'high'.padStart(10)}\n${rows.join('\n')}\n`;
}

/** gridtier lem clear: one market clearing with DLMPs, as a table, CSV or JSON. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const dumpTo = o['dump-model'];
  // refused before the market is cleared, not after: COIN-OR reads and writes MPS only
  if (o.solver === 'coin' && dumpTo !== undefined && !dumpTo.endsWith('.mps'))
    throw new UsageError(
      `--dump-model ${dumpTo}: --solver coin writes the model as MPS only; name the file .mps, or use --solver highs for LP`,
    );
  const doc = readJsonObject(o.orders);
  if (o.market) doc.market = o.market;
  if (o['iso-prices']) doc.isoPrices = readPrices(o['iso-prices']);
  const parsed = market.parseOrders(doc, o.orders);
  const refusedAll = (rejected: market.RejectedOrder[]) => {
    for (const x of rejected) io.stderr(`rejected ${x.id}: ${x.reasons.join('; ')}\n`);
    return new InvalidValueError(`${o.orders}: every order was refused (${rejected.length}); nothing clears`);
  };
  if (parsed.orders.length === 0 && parsed.rejected.length > 0) throw refusedAll(parsed.rejected);
  const run = runScript(limitedScriptHost(), o.feeder);
  // each solve runs in a worker thread or its own process, stopped if it overruns the time limit
  const limits = { hardLimitSec: o['time-limit'] };
  const solver = o.solver === 'coin' ? new CoinSolver(limits) : new WorkerLpSolver(limits);
  let last: LinearModel | undefined;
  let result: market.LemResult;
  let model: string | undefined;
  try {
    const dump = o['dump-model'];
    // a dump is the whole market's model, so it is not cleared interval by interval
    result = await market.clearMarket(run.state, parsed, solver, {
      onModel: (m) => (last = m),
      decompose: dump === undefined,
    });
    if (dump && last) model = await solver.write(last, dump.endsWith('.mps') ? 'mps' : 'lp');
  } catch (e) {
    // the limit is the user's: say which option stopped the run
    if (e instanceof TimeoutError && o['time-limit'] !== undefined)
      throw new TimeoutError(`--time-limit ${o['time-limit']}: ${e.message}`, { cause: e });
    throw e;
  } finally {
    await solver.close();
  }
  const offered = parsed.orders.length + parsed.rejected.length;
  if (offered > 0 && result.rejected.length === offered) throw refusedAll(result.rejected);
  // written only once the run has succeeded: a refused run leaves no file
  if (model !== undefined) writeFileAtomic(o['dump-model'] as string, model);
  for (const x of result.rejected) io.stderr(`rejected ${x.id}: ${x.reasons.join('; ')}\n`);
  const text =
    o.format === 'csv'
      ? toCsv(result)
      : o.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : table(result);
  if (o.out !== undefined) {
    writeFileAtomic(o.out, text);
    io.stderr(`${summary(result)}wrote ${o.out}\n`);
  } else {
    io.stdout(text);
    if (o.format !== 'table') io.stderr(summary(result));
  }
  return 0;
}
