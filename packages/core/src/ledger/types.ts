import type { SignedReadings } from './meter-reading.js';

/**
 * A trade to settle: `energyWh` of the seller's energy block number `block` in `slot` at a price
 * in µ$ per Wh. A seller's energy in a slot is sold in numbered blocks, and each block once.
 */
export interface SettlementTrade {
  id: string;
  seller: string;
  buyer: string;
  slot: number;
  block: number;
  energyWh: number;
  priceMicroPerWh: number;
}

export interface IntervalBatch {
  interval: string;
  trades: SettlementTrade[];
  /** the meters' readings, in batches each signed by its oracle */
  readings: SignedReadings[];
  /** what replacement energy costs when a seller under-delivers, µ$ per Wh */
  fallbackPriceMicroPerWh: number;
}

/** One participant's lines of an interval's statement, µ$ and Wh. */
export interface Statement {
  account: string;
  paidMicroUsd: number;
  receivedMicroUsd: number;
  imbalanceMicroUsd: number;
  energyTokensWh: number;
  loyalty: number;
}

export interface SettlementReceipt {
  interval: string;
  /** hex SHA-256 Merkle root over the interval's trades and readings */
  merkleRoot: string;
  deliveredWh: number;
  shortfallWh: number;
  statements: Statement[];
}

/** A settlement ledger: the in-memory one here, an EVM one in the chain package; one test suite for both. */
export interface Ledger {
  openAccount(account: string): Promise<void>;
  /** a meter of an account, whose readings the oracle with this public key (hex) signs */
  registerMeter(meter: string, account: string, oraclePublicKey: string): Promise<void>;
  /** payment tokens issued to an account against money paid in, µ$ */
  deposit(account: string, microUsd: number): Promise<void>;
  /** settles an interval whole, or refuses it whole with the reason */
  settleInterval(batch: IntervalBatch): Promise<SettlementReceipt>;
  balance(account: string, asset: 'usd' | 'energy' | 'loyalty'): Promise<number>;
}
