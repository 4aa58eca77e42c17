import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Prng } from '../random/index.js';
import { jsCrypto } from './crypto.js';
import { toHex } from './merkle.js';
import { type MeterReading, signReadings } from './meter-reading.js';
import { testKey } from './test-keys.js';
import type { IntervalBatch, Ledger, SettlementTrade } from './types.js';

export interface SampleDayOptions {
  seed: number;
  accounts: number;
  intervals: number;
  tradesPerInterval: number;
  /** payment tokens each account starts with, µ$ */
  depositMicroUsd?: number;
}

export interface SampleDay {
  accounts: string[];
  batches: IntervalBatch[];
  /** opens the accounts, funds them and registers their meters with the day's oracle */
  setUp(ledger: Ledger): Promise<void>;
}

/**
 * A seeded day of trading for tests and benchmarks: per interval a fifth of the accounts sell
 * (so each seller has several trades), sellers deliver 80–110 % of what they sold, and one oracle
 * signs every reading of the interval.
 */
export function sampleDay(o: SampleDayOptions): SampleDay {
  const r = new Prng(o.seed);
  const key = testKey(7);
  const accounts = Array.from({ length: o.accounts }, (_, a) => `a${a}`);
  const sellers = Math.max(1, Math.floor(o.accounts / 5));
  const batches: IntervalBatch[] = [];
  for (let i = 0; i < o.intervals; i++) {
    const trades: SettlementTrade[] = [];
    const contracted = new Map<string, number>();
    const blocks = new Map<string, number>();
    for (let k = 0; k < o.tradesPerInterval; k++) {
      const seller = accounts[r.int(sellers) * 5];
      let buyer = accounts[r.int(o.accounts)];
      if (buyer === seller) buyer = accounts[(accounts.indexOf(seller) + 1) % o.accounts];
      const energyWh = 100 + r.int(5000);
      trades.push({
        id: `t${i}-${k}`,
        seller,
        buyer,
        slot: i,
        block: blocks.get(seller) ?? 0,
        energyWh,
        priceMicroPerWh: 200 + r.int(200),
      });
      contracted.set(seller, (contracted.get(seller) ?? 0) + energyWh);
      blocks.set(seller, (blocks.get(seller) ?? 0) + 1);
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
  const oracle = toHex(secp256k1.getPublicKey(key, false));
  const setUp = async (ledger: Ledger) => {
    for (const a of accounts) {
      await ledger.openAccount(a);
      await ledger.deposit(a, o.depositMicroUsd ?? 1e12);
      await ledger.registerMeter(`m-${a}`, a, oracle);
    }
  };
  return { accounts, batches, setUp };
}
