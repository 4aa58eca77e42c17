import { EvmLedger } from '@gridtier/chain';
import { ledger as L } from '@gridtier/core';
import { parseArgs, UsageError } from '../args.js';
import { openLedger, validChain } from '../ledger-target.js';
import { readJson } from '../read-json.js';

const usage =
  'usage: gridtier settle --trades FILE --readings FILE [--chain embedded|RPC_URL] [--format text|json]\n' +
  '  without --chain the interval settles in memory; with an RPC URL the operator key is read from GRIDTIER_CHAIN_KEY';

/** gridtier settle: one interval's trades against signed meter readings, statement per participant. */
export async function runSettle(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, ['trades', 'readings', 'chain', 'format']);
    for (const o of ['trades', 'readings'])
      if (!args.options.get(o)) throw new UsageError(`--${o} is required`);
    const f = args.options.get('format') ?? 'text';
    if (f !== 'text' && f !== 'json') throw new UsageError('--format must be text or json');
    validChain(args.options.get('chain'));
  } catch (e) {
    process.stderr.write(`gridtier settle: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const tradesPath = args.options.get('trades')!;
  const readingsPath = args.options.get('readings')!;
  const file = L.parseIntervalFile(readJson(tradesPath), tradesPath);
  const readings = L.parseReadingsFile(readJson(readingsPath), readingsPath);
  const target = await openLedger(args.options.get('chain'));
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
    const gasUsed = target.ledger instanceof EvmLedger ? Number(target.ledger.lastGasUsed) : undefined;
    if (args.options.get('format') === 'json')
      process.stdout.write(`${JSON.stringify({ ledger: target.label, gasUsed, ...receipt }, null, 2)}\n`);
    else process.stdout.write(statement(receipt, target.label, gasUsed, file.trades.length));
    return 0;
  } finally {
    await target.close();
  }
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
