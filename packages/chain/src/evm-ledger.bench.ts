import { type BenchContext, ledger as L, median } from '@gridtier/core';
import { nodeCrypto } from '@gridtier/core/node';
import { DEV_PRIVATE_KEY, startEmbeddedChain } from './anvil.js';
import { EvmLedger } from './evm-ledger.js';

const ACCOUNTS = 200;
const TRADES = 100_000;
const PER_INTERVAL = 1000;

/**
 * Settling 100,000 trades on the embedded EVM chain, 1,000 trades per interval and transaction,
 * among 200 accounts: the operator's checks, the transaction, the contract's checks and mints.
 */
export async function bench(ctx: BenchContext) {
  const day = L.sampleDay({
    seed: 5,
    accounts: ACCOUNTS,
    intervals: TRADES / PER_INTERVAL,
    tradesPerInterval: PER_INTERVAL,
  });
  const chain = await startEmbeddedChain();
  try {
    const ledger = await EvmLedger.connect({
      rpcUrl: chain.rpcUrl,
      privateKey: DEV_PRIVATE_KEY,
      crypto: nodeCrypto(),
    });
    const s0 = performance.now();
    await day.setUp(ledger);
    const setUpMs = performance.now() - s0;
    ctx.gc();
    const intervalMs: number[] = [];
    const gas: number[] = [];
    const checkMs: number[] = [];
    const chainMs: number[] = [];
    const t0 = performance.now();
    for (const batch of day.batches) {
      const t = performance.now();
      await ledger.settleInterval(batch);
      intervalMs.push(performance.now() - t);
      gas.push(Number(ledger.lastGasUsed) / batch.trades.length);
      checkMs.push(ledger.lastTimings.checkMs);
      chainMs.push(ledger.lastTimings.chainMs);
    }
    const totalMs = performance.now() - t0;
    const memory = new L.MemoryLedger(undefined, nodeCrypto());
    await day.setUp(memory);
    for (const batch of day.batches) await memory.settleInterval(batch);
    let same = 0;
    for (const a of [...day.accounts, L.ISSUER, L.FALLBACK])
      for (const asset of ['usd', 'energy', 'loyalty'] as const)
        if ((await ledger.balance(a, asset)) === (await memory.balance(a, asset))) same++;
    const checked = (day.accounts.length + 2) * 3;
    return {
      title:
        'Settlement on the embedded EVM chain: 100,000 trades, 200 accounts, 1,000 trades per transaction',
      columns: [
        'what',
        'trades',
        'ms',
        'trades/s',
        'median ms per interval',
        'of which operator checks',
        'of which transaction',
        'gas per trade (median)',
      ],
      rows: [
        [
          'settle 100 intervals',
          String(TRADES),
          totalMs.toFixed(0),
          Math.round((TRADES / totalMs) * 1000).toLocaleString('en-US'),
          median(intervalMs).toFixed(0),
          median(checkMs).toFixed(0),
          median(chainMs).toFixed(0),
          Math.round(median(gas)).toLocaleString('en-US'),
        ],
      ],
      notes: [
        `target: ≥ 5,000 trades/s. Setting up 200 accounts (open, deposit, register meter: 600 transactions) took ${setUpMs.toFixed(0)} ms. Balances equal to the in-memory ledger's after the same day: ${same} of ${checked}.`,
      ],
    };
  } finally {
    await chain.stop();
  }
}
