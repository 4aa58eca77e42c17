import * as L from '@gridtier/core/ledger';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { readJson } from '../../inputs.js';
import { openLedger, validChain } from '../../ledger-target.js';
import type { options } from './command.js';

/** gridtier settle: one interval's trades against signed meter readings, statement per participant. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  validChain(o.chain);
  const file = L.parseIntervalFile(readJson(o.trades), o.trades);
  const readings = L.parseReadingsFile(readJson(o.readings), o.readings);
  const target = await openLedger(o.chain);
  let text: string;
  try {
    for (const a of file.accounts) {
      await target.ledger.openAccount(a.name);
      if (a.depositMicroUsd > 0) await target.ledger.deposit(a.name, a.depositMicroUsd);
    }
    for (const m of file.meters) await target.ledger.registerMeter(m.meter, m.account, m.oracle);
    const receipt = await target.ledger.settleInterval({
      interval: file.interval,
      trades: file.trades,
      readings,
      fallbackPriceMicroPerWh: file.fallbackPriceMicroPerWh,
    });
    const gasUsed = target.lastGasUsed();
    text =
      o.format === 'json'
        ? `${JSON.stringify({ ledger: target.label, gasUsed, ...receipt }, null, 2)}\n`
        : o.format === 'csv'
          ? statementsCsv(receipt)
          : statement(receipt, target.label, gasUsed, file.trades.length);
  } finally {
    await target.close();
  }
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

function statementsCsv(r: L.SettlementReceipt): string {
  const rows = [...r.statements].sort((a, b) => a.account.localeCompare(b.account));
  return `${[
    'account,paidMicroUsd,receivedMicroUsd,imbalanceMicroUsd,energyTokensWh,loyalty',
    ...rows.map((s) =>
      [s.account, s.paidMicroUsd, s.receivedMicroUsd, s.imbalanceMicroUsd, s.energyTokensWh, s.loyalty].join(
        ',',
      ),
    ),
  ].join('\n')}\n`;
}

function statement(
  r: L.SettlementReceipt,
  label: string,
  gasUsed: number | undefined,
  trades: number,
): string {
  const gas =
    gasUsed === undefined
      ? ''
      : `, ${gasUsed.toLocaleString('en-US')} gas (${Math.round(gasUsed / Math.max(1, trades)).toLocaleString('en-US')} per trade)`;
  const rows = [...r.statements].sort((a, b) => a.account.localeCompare(b.account));
  const w = Math.max(7, ...rows.map((s) => s.account.length));
  const col = (x: number) => x.toLocaleString('en-US').padStart(14);
  return [
    `interval ${r.interval} settled ${label}${gas}`,
    `Merkle root ${r.merkleRoot}`,
    `delivered ${r.deliveredWh.toLocaleString('en-US')} Wh, short ${r.shortfallWh.toLocaleString('en-US')} Wh`,
    '',
    `${'account'.padEnd(w)} ${'paid µ$'.padStart(14)} ${'received µ$'.padStart(14)} ${'imbalance µ$'.padStart(14)} ${'energy Wh'.padStart(14)} ${'loyalty'.padStart(14)}`,
    ...rows.map(
      (s) =>
        `${s.account.padEnd(w)} ${col(s.paidMicroUsd)} ${col(s.receivedMicroUsd)} ${col(s.imbalanceMicroUsd)} ${col(s.energyTokensWh)} ${col(s.loyalty)}`,
    ),
    '',
  ].join('\n');
}
