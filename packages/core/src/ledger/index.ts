export { type CryptoSuite, jsCrypto } from './crypto.js';
export { type IntervalFile, parseIntervalFile, parseReadingsFile } from './input.js';
export { type Asset, type Entry, Journal, type Transaction } from './journal.js';
export { intervalLeaves, tradeLeaf } from './leaves.js';
export { DEFAULT_LOYALTY, type LoyaltyRule, loyaltyBurned, loyaltyEarned } from './loyalty.js';
export { MemoryLedger } from './memory-ledger.js';
export { fromHex, merkleProof, merkleRoot, toHex, verifyMerkleProof } from './merkle.js';
export {
  type MeterReading,
  oraclePublicKey,
  readingLeaf,
  readingsMessage,
  type SignedReadings,
  signReadings,
} from './meter-reading.js';
export { type SampleDay, type SampleDayOptions, sampleDay } from './sample-day.js';
export {
  allocate,
  FALLBACK,
  ISSUER,
  loyaltyBurns,
  planSettlement,
  type Registry,
  type SettlementPlan,
} from './settle.js';
export type { IntervalBatch, Ledger, SettlementReceipt, SettlementTrade, Statement } from './types.js';
