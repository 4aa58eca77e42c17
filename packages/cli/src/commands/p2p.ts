import { market } from '@gridtier/core';
import { parseArgs, UsageError } from '../args.js';
import { readJson } from '../read-json.js';

const usage = 'usage: gridtier p2p simulate --scenario FILE [--seed N] [--format text|json]';

/** gridtier p2p simulate: one day of the three-layer peer-to-peer hierarchy. */
export async function runP2p(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    if (argv[0] !== 'simulate') throw new UsageError('the p2p command is "p2p simulate"');
    args = parseArgs(argv.slice(1), ['scenario', 'seed', 'format']);
    if (!args.options.get('scenario')) throw new UsageError('--scenario is required');
    const seed = args.options.get('seed');
    if (seed !== undefined && !Number.isInteger(Number(seed)))
      throw new UsageError('--seed must be an integer');
    const f = args.options.get('format') ?? 'text';
    if (f !== 'text' && f !== 'json') throw new UsageError('--format must be text or json');
  } catch (e) {
    process.stderr.write(`gridtier p2p: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const doc = readJson(args.options.get('scenario')!);
  if (args.options.get('seed') !== undefined) doc.seed = Number(args.options.get('seed'));
  const r = market.simulateP2pDay(market.parseP2pScenario(doc));
  if (args.options.get('format') === 'json') {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(summary(r));
  return 0;
}

function summary(r: market.P2pDayResult): string {
  const l = r.layers;
  const f = (x: number, d = 1) => x.toFixed(d);
  const lines = [
    `Layer I   (microgrids, 30 min): ${l.layer1.markets} markets, ${l.layer1.trades} trades, ${f(l.layer1.kwh)} kWh, ${f(l.layer1.usd, 2)} $`,
    `Layer II  (VPPs → ancillary, 15 min): ${f(l.layer2.kwh)} kWh committed, ${f(l.layer2.usd, 2)} $`,
    `netting   (inside each VPP): ${f(l.netting.kwh)} kWh, ${f(l.netting.usd, 2)} $`,
    `Layer III (VPP to VPP, 5 min): ${l.layer3.markets} markets, ${l.layer3.trades} trades, ${f(l.layer3.kwh)} kWh, ${f(l.layer3.usd, 2)} $`,
    `utility   imports ${f(l.fallback.importKwh)} kWh for ${f(l.fallback.importUsd, 2)} $, exports ${f(l.fallback.exportKwh)} kWh for ${f(l.fallback.exportUsd, 2)} $`,
    `ISO       undelivered ${f(l.fallback.undeliveredKwh)} kWh, penalties ${f(l.fallback.penaltyUsd, 2)} $`,
    `money     prosumers ${f(r.ledger.prosumersUsd, 2)}, utility ${f(r.ledger.utilityUsd, 2)}, ISO ${f(r.ledger.isoUsd, 2)}, operator ${f(r.ledger.operatorUsd, 2)} (sum ${f(r.ledger.prosumersUsd + r.ledger.utilityUsd + r.ledger.isoUsd + r.ledger.operatorUsd, 6)})`,
    `savings against net metering: total ${f(r.summary.totalSavingsUsd, 2)} $, median ${f(r.summary.medianSavingsUsd, 2)} $, ${f(100 * r.summary.savingShare)} % of ${r.summary.prosumers} prosumers save`,
    '',
    'prosumer,vpp,microgrid,netKwh,hierarchyUsd,baselineUsd,savingsUsd',
    ...r.prosumers.map((p) =>
      [
        p.id,
        p.vpp,
        p.microgrid,
        f(p.netKwh, 3),
        f(p.hierarchyUsd, 4),
        f(p.baselineUsd, 4),
        f(p.savingsUsd, 4),
      ].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
