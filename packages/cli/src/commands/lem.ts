import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidValueError, type LinearModel, market, runScript } from '@gridtier/core';
import { nodeScriptHost, WorkerLpSolver } from '@gridtier/core/node';
import { parseArgs, UsageError } from '../args.js';
import { readJson } from '../read-json.js';

const usage =
  'usage: gridtier lem clear --feeder FILE --orders FILE --market dam|rtm [--iso-prices FILE] [--format json|csv] [--out PATH] [--dump-model PATH.lp|PATH.mps] [--time-limit SECONDS]';

/** ISO prices from a JSON array or a CSV of one price per line (an optional "interval," column first). */
function readPrices(path: string): number[] {
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('[')) {
    let prices: unknown;
    try {
      prices = JSON.parse(text);
    } catch (e) {
      throw new InvalidValueError(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    const list = prices as unknown[];
    const bad = list.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0)
      throw new InvalidValueError(`${path}: price [${bad}] is ${JSON.stringify(list[bad])}, not a number`);
    return list as number[];
  }
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !/^[a-z]/i.test(l.trim()))
    .map((l, i) => {
      const v = Number(l.split(',').at(-1));
      if (!Number.isFinite(v)) throw new InvalidValueError(`${path}:${i + 1}: "${l}" is not a price`);
      return v;
    });
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
    `binding: ${r.binding.length}, soft constraints relaxed: ${r.slackUse.length}, rejected orders: ${r.rejected.length}`,
    `settlement: losses ${r.energyBalance.reduce((a, b) => a + b.lossesKw * r.intervalHours, 0).toFixed(1)} kWh, DSO surplus ${r.dsoSurplusUsd.toFixed(2)} $`,
    `time: build ${r.timing.buildMs.toFixed(0)} ms, solve ${r.timing.solveMs.toFixed(0)} ms, power flow ${r.timing.powerFlowMs.toFixed(0)} ms`,
  ];
  for (const x of r.rejected) lines.push(`rejected ${x.id}: ${x.reasons.join('; ')}`);
  for (const x of r.slackUse) lines.push(`relaxed t${x.interval} ${x.name}: ${x.amount.toFixed(3)}`);
  return `${lines.join('\n')}\n`;
}

export async function runLem(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    if (argv[0] !== 'clear') throw new UsageError('the lem command is "lem clear"');
    args = parseArgs(argv.slice(1), [
      'feeder',
      'orders',
      'market',
      'iso-prices',
      'format',
      'out',
      'dump-model',
      'time-limit',
    ]);
    for (const required of ['feeder', 'orders'])
      if (!args.options.get(required)) throw new UsageError(`--${required} is required`);
    const m = args.options.get('market');
    if (m !== undefined && m !== 'dam' && m !== 'rtm') throw new UsageError('--market must be dam or rtm');
    const f = args.options.get('format') ?? 'json';
    if (f !== 'json' && f !== 'csv') throw new UsageError('--format must be json or csv');
    const limit = args.options.get('time-limit');
    if (limit !== undefined && !(Number(limit) > 0))
      throw new UsageError('--time-limit must be a positive number of seconds');
  } catch (e) {
    process.stderr.write(`gridtier lem: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const o = args.options;
  const doc = readJson(o.get('orders')!);
  if (o.get('market')) doc.market = o.get('market');
  if (o.get('iso-prices')) doc.isoPrices = readPrices(o.get('iso-prices')!);
  const parsed = market.parseOrders(doc);
  const run = runScript(nodeScriptHost, o.get('feeder')!);
  // each solve runs in a worker thread, stopped if it overruns the time limit
  const limit = o.get('time-limit');
  const solver = new WorkerLpSolver({ hardLimitSec: limit === undefined ? undefined : Number(limit) });
  let last: LinearModel | undefined;
  let result: market.LemResult;
  try {
    result = market.clearMarket(run.state, parsed, solver, { onModel: (model) => (last = model) });
    const dump = o.get('dump-model');
    if (dump && last) writeFileSync(dump, solver.write(last, dump.endsWith('.mps') ? 'mps' : 'lp'));
  } finally {
    solver.close();
  }
  const text = (o.get('format') ?? 'json') === 'csv' ? toCsv(result) : `${JSON.stringify(result, null, 2)}\n`;
  if (o.get('out')) {
    writeFileSync(o.get('out')!, text);
    process.stdout.write(summary(result));
  } else {
    process.stdout.write(text);
    process.stderr.write(summary(result));
  }
  return 0;
}
