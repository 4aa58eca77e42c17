import * as market from '@gridtier/core/market';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { readJsonObject } from '../../inputs.js';
import type { options } from './command.js';

/** gridtier p2p simulate: one day of the three-layer peer-to-peer hierarchy. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const doc = readJsonObject(o.scenario);
  if (o.seed !== undefined) doc.seed = o.seed;
  const r = market.simulateP2pDay(market.parseP2pScenario(doc, o.scenario));
  const text =
    o.format === 'json'
      ? `${JSON.stringify(r, null, 2)}\n`
      : o.format === 'csv'
        ? prosumersCsv(r)
        : summary(r);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

const f = (x: number, d = 1) => x.toFixed(d);

function prosumersCsv(r: market.P2pDayResult): string {
  return `${[
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
  ].join('\n')}\n`;
}

function summary(r: market.P2pDayResult): string {
  const l = r.layers;
  const lines = [
    `Layer I   (microgrids, 30 min): ${l.layer1.markets} markets, ${l.layer1.trades} trades, ${f(l.layer1.kwh)} kWh, ${f(l.layer1.usd, 2)} $`,
    `Layer II  (VPPs → ancillary, 15 min): ${f(l.layer2.kwh)} kWh committed, ${f(l.layer2.usd, 2)} $`,
    `netting   (inside each VPP): ${f(l.netting.kwh)} kWh, ${f(l.netting.usd, 2)} $`,
    `Layer III (VPP to VPP, 5 min): ${l.layer3.markets} markets, ${l.layer3.trades} trades, ${f(l.layer3.kwh)} kWh, ${f(l.layer3.usd, 2)} $`,
    `utility   imports ${f(l.fallback.importKwh)} kWh for ${f(l.fallback.importUsd, 2)} $, exports ${f(l.fallback.exportKwh)} kWh for ${f(l.fallback.exportUsd, 2)} $`,
    `ISO       undelivered ${f(l.fallback.undeliveredKwh)} kWh, penalties ${f(l.fallback.penaltyUsd, 2)} $`,
    `money     prosumers ${f(r.ledger.prosumersUsd, 2)}, utility ${f(r.ledger.utilityUsd, 2)}, ISO ${f(r.ledger.isoUsd, 2)}, operator ${f(r.ledger.operatorUsd, 2)} (sum ${f(r.ledger.prosumersUsd + r.ledger.utilityUsd + r.ledger.isoUsd + r.ledger.operatorUsd, 6)})`,
    `savings against net metering: total ${f(r.summary.totalSavingsUsd, 2)} $, median ${f(r.summary.medianSavingsUsd, 2)} $, ${f(100 * r.summary.savingShare)} % of ${r.summary.prosumers} prosumers save`,
  ];
  return `${lines.join('\n')}\n\n${prosumersCsv(r)}`;
}
