import { InvalidValueError, SettlementRefusedError } from '../errors/index.js';
import { type CryptoSuite, jsCrypto } from './crypto.js';
import { Journal } from './journal.js';
import { DEFAULT_LOYALTY, type LoyaltyRule } from './loyalty.js';
import { FALLBACK, ISSUER, loyaltyBurns, planSettlement, type Registry } from './settle.js';
import type { IntervalBatch, Ledger, SettlementReceipt } from './types.js';

/** The Ledger over an in-memory double-entry journal. */
export class MemoryLedger implements Ledger {
  readonly journal = new Journal();
  private readonly registry: Registry = {
    meters: new Map(),
    soldBlocks: new Map(),
    usedReadings: new Set(),
    settledTrades: new Set(),
    intervals: new Set(),
  };

  constructor(
    private readonly loyalty: LoyaltyRule = DEFAULT_LOYALTY,
    private readonly suite: CryptoSuite = jsCrypto,
  ) {
    this.journal.open(ISSUER);
    this.journal.open(FALLBACK);
  }

  async openAccount(account: string): Promise<void> {
    if (account === ISSUER) throw new InvalidValueError(`account name "${account}" is reserved`);
    this.journal.open(account);
  }

  async registerMeter(meter: string, account: string, oracleAddress: string): Promise<void> {
    if (!this.journal.has(account))
      throw new InvalidValueError(`meter ${meter}: unknown account "${account}"`);
    this.registry.meters.set(meter, { account, oracle: oracleAddress.toLowerCase() });
  }

  async deposit(account: string, microUsd: number): Promise<void> {
    this.journal.postAll([
      {
        id: `deposit/${account}/${this.journal.transactions.length}`,
        memo: 'payment tokens issued against money paid in',
        entries: [
          { account: ISSUER, asset: 'usd', amount: -microUsd },
          { account, asset: 'usd', amount: microUsd },
        ],
      },
    ]);
  }

  async settleInterval(batch: IntervalBatch): Promise<SettlementReceipt> {
    const plan = planSettlement(batch, this.journal, this.registry, this.loyalty, this.suite);
    try {
      // checks every transaction before it posts any
      this.journal.postAll(plan.txs);
    } catch (e) {
      // a transaction that does not balance is the interval's refusal; any other error is not
      if (!(e instanceof InvalidValueError)) throw e;
      throw new SettlementRefusedError(`interval ${batch.interval} refused: ${e.message}`, {
        cause: e,
        details: { interval: batch.interval },
      });
    }
    plan.commit();
    this.journal.postAll(loyaltyBurns(batch.interval, this.journal, this.loyalty));
    return plan.receipt;
  }

  async balance(account: string, asset: 'usd' | 'energy' | 'loyalty'): Promise<number> {
    return this.journal.balance(account, asset);
  }
}
