import { type BenchContext, median } from '../bench-support.js';
import { nodeCrypto } from '../node.js';
import { Journal } from './journal.js';
import { MemoryLedger } from './memory-ledger.js';
import { type SampleDay, sampleDay } from './sample-day.js';

const ACCOUNTS = 200;
const TRADES = 100_000;
const PER_INTERVAL = 1000;

async function fresh(day: SampleDay): Promise<MemoryLedger> {
  const l = new MemoryLedger(undefined, nodeCrypto());
  await day.setUp(l);
  return l;
}

/**
 * Settling 100,000 trades in the in-memory ledger end to end (signatures, allocation, Merkle
 * root, posting), and the journal alone: the same transactions posted again into a new journal.
 */
export async function bench(ctx: BenchContext) {
  const day = sampleDay({
    seed: 5,
    accounts: ACCOUNTS,
    intervals: TRADES / PER_INTERVAL,
    tradesPerInterval: PER_INTERVAL,
  });
  const batches = day.batches;
  const readings = batches.reduce((a, b) => a + b.readings[0].readings.length, 0);
  const settleMs: number[] = [];
  const postMs: number[] = [];
  let entries = 0;
  for (let run = 0; run < 4; run++) {
    const l = await fresh(day);
    const before = l.journal.transactions.length;
    ctx.gc();
    const t0 = performance.now();
    for (const b of batches) await l.settleInterval(b);
    const t1 = performance.now();
    const txs = l.journal.transactions.slice(before);
    entries = txs.reduce((a, tx) => a + tx.entries.length, 0);
    const replay = new Journal();
    for (const account of l.journal.accounts()) replay.open(account);
    ctx.gc();
    const t2 = performance.now();
    replay.postAll(txs);
    const t3 = performance.now();
    if (run > 0) {
      settleMs.push(t1 - t0);
      postMs.push(t3 - t2);
    }
  }
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
  const s = median(settleMs);
  const p = median(postMs);
  return {
    title: 'Settlement, in-memory ledger: 100,000 trades, 200 accounts (median of 3 after 1 warm-up)',
    columns: ['what', 'trades', 'signed readings', 'journal entries', 'ms', 'entries/s', 'trades/s'],
    rows: [
      [
        'settle end to end',
        String(TRADES),
        String(readings),
        String(entries),
        s.toFixed(0),
        rate(entries, s),
        rate(TRADES, s),
      ],
      [
        'journal posting',
        String(TRADES),
        '-',
        String(entries),
        p.toFixed(0),
        rate(entries, p),
        rate(TRADES, p),
      ],
    ],
    notes: [
      'target: ≥ 1,000,000 journal entries/s. End to end includes one ECDSA check per interval’s signed readings (Node’s crypto), the pro-rata split of deliveries, the SHA-256 Merkle root over trades and readings, and the checks before posting.',
    ],
  };
}
