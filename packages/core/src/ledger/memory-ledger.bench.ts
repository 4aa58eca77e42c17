import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type BenchContext, median } from '../bench-support.js';
import { nodeCrypto } from '../node/native-crypto.js';
import { Prng } from '../random/index.js';
import { jsCrypto } from './crypto.js';
import { Journal } from './journal.js';
import { MemoryLedger } from './memory-ledger.js';
import { toHex } from './merkle.js';
import { type MeterReading, signReadings } from './meter-reading.js';
import { testKey } from './test-keys.js';
import type { IntervalBatch, SettlementTrade } from './types.js';

const ACCOUNTS = 200;
const TRADES = 100_000;
const PER_INTERVAL = 1000;

/** 100 intervals of 1,000 trades among 200 accounts, with one signed reading per selling account and slot. */
function day(seed: number): IntervalBatch[] {
  const r = new Prng(seed);
  const key = testKey(7);
  const batches: IntervalBatch[] = [];
  for (let i = 0; i < TRADES / PER_INTERVAL; i++) {
    const trades: SettlementTrade[] = [];
    const contracted = new Map<string, number>();
    for (let k = 0; k < PER_INTERVAL; k++) {
      // a fifth of the accounts sell in an interval, so each seller has several trades
      const seller = `a${r.int(ACCOUNTS / 5) * 5}`;
      let buyer = `a${r.int(ACCOUNTS)}`;
      if (buyer === seller) buyer = `a${(Number(seller.slice(1)) + 1) % ACCOUNTS}`;
      const energyWh = 100 + r.int(5000);
      trades.push({
        id: `t${i}-${k}`,
        seller,
        buyer,
        slot: i,
        block: `b${k}`,
        energyWh,
        priceMicroPerWh: 200 + r.int(200),
      });
      contracted.set(seller, (contracted.get(seller) ?? 0) + energyWh);
    }
    const readings: MeterReading[] = [...contracted].map(([account, wh], n) => ({
      meter: `m-${account}`,
      account,
      slot: i,
      energyWh: Math.floor(wh * (0.8 + 0.3 * r.next())),
      nonce: i * 1000 + n,
    }));
    batches.push({
      interval: `i${i}`,
      trades,
      readings: [signReadings(readings, key, jsCrypto)],
      fallbackPriceMicroPerWh: 450,
    });
  }
  return batches;
}

async function fresh(): Promise<MemoryLedger> {
  const l = new MemoryLedger(undefined, nodeCrypto());
  const oracle = toHex(secp256k1.getPublicKey(testKey(7), false));
  for (let a = 0; a < ACCOUNTS; a++) {
    await l.openAccount(`a${a}`);
    await l.deposit(`a${a}`, 1e12);
    await l.registerMeter(`m-a${a}`, `a${a}`, oracle);
  }
  return l;
}

/**
 * Settling 100,000 trades in the in-memory ledger end to end (signatures, allocation, Merkle
 * root, posting), and the journal alone: the same transactions posted again into a new journal.
 */
export async function bench(ctx: BenchContext) {
  const batches = day(5);
  const readings = batches.reduce((a, b) => a + b.readings[0].readings.length, 0);
  const settleMs: number[] = [];
  const postMs: number[] = [];
  let entries = 0;
  for (let run = 0; run < 4; run++) {
    const l = await fresh();
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
