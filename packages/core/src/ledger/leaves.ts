import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CryptoSuite } from './crypto.js';
import { type MeterReading, readingLeaf } from './meter-reading.js';
import type { SettlementTrade } from './types.js';

/** A trade's Merkle leaf: SHA-256 of its fields in a fixed, versioned order. */
export function tradeLeaf(t: SettlementTrade, suite: CryptoSuite): Uint8Array {
  return suite.sha256(
    utf8ToBytes(
      `gridtier-trade:v1|${t.id}|${t.seller}|${t.buyer}|${t.slot}|${t.block}|${t.energyWh}|${t.priceMicroPerWh}`,
    ),
  );
}

/** An interval's leaves: its trades, then its readings, each in the order given. */
export function intervalLeaves(
  trades: readonly SettlementTrade[],
  readings: readonly MeterReading[],
  suite: CryptoSuite,
): Uint8Array[] {
  return [...trades.map((t) => tradeLeaf(t, suite)), ...readings.map((r) => readingLeaf(r, suite))];
}
