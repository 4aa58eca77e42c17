import { InvalidValueError } from '../errors/index.js';

/** What a journal counts, each in integer minor units: payment in µ$, energy tokens in Wh. */
export type Asset = 'usd' | 'energy' | 'loyalty';

export interface Entry {
  account: string;
  asset: Asset;
  /** integer minor units; positive credits the account */
  amount: number;
}

export interface Transaction {
  id: string;
  /** why: a trade, a mint, an imbalance charge, a burn */
  memo: string;
  entries: Entry[];
}

/**
 * Double-entry journal: every transaction's entries sum to zero per asset, so money and tokens
 * only move. Minting and burning go through an issuer account (negative balance = tokens in
 * circulation). Amounts are safe integers; a transaction is posted whole or refused whole.
 */
export class Journal {
  private readonly balances = new Map<string, Map<Asset, number>>();
  readonly transactions: Transaction[] = [];
  entryCount = 0;

  open(account: string): void {
    if (!this.balances.has(account)) this.balances.set(account, new Map());
  }

  has(account: string): boolean {
    return this.balances.has(account);
  }

  balance(account: string, asset: Asset): number {
    return this.balances.get(account)?.get(asset) ?? 0;
  }

  /** Refuses the transaction with its reason if it would not balance or names an unknown account. */
  check(tx: Transaction): string | undefined {
    const sums = new Map<Asset, number>();
    for (const e of tx.entries) {
      if (!this.balances.has(e.account)) return `unknown account "${e.account}"`;
      if (!Number.isSafeInteger(e.amount)) return `amount ${e.amount} of ${e.account} is not an integer`;
      sums.set(e.asset, (sums.get(e.asset) ?? 0) + e.amount);
    }
    for (const [asset, sum] of sums) if (sum !== 0) return `${asset} entries sum to ${sum}, not 0`;
    return undefined;
  }

  /** Posts transactions all together, after every one has been checked. */
  postAll(txs: readonly Transaction[]): void {
    for (const tx of txs) {
      const why = this.check(tx);
      if (why)
        throw new InvalidValueError(`transaction ${tx.id}: ${why}`, { details: { transaction: tx.id } });
    }
    for (const tx of txs) {
      for (const e of tx.entries) {
        const b = this.balances.get(e.account)!;
        b.set(e.asset, (b.get(e.asset) ?? 0) + e.amount);
      }
      this.entryCount += tx.entries.length;
      this.transactions.push(tx);
    }
  }

  /** Sum of every balance of an asset: zero, always. */
  total(asset: Asset): number {
    let s = 0;
    for (const b of this.balances.values()) s += b.get(asset) ?? 0;
    return s;
  }

  accounts(): string[] {
    return [...this.balances.keys()];
  }
}
