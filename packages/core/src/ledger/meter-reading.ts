import { secp256k1 } from '@noble/curves/secp256k1.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CryptoSuite } from './crypto.js';
import { merkleRoot, toHex } from './merkle.js';

/** What a meter attests: the energy an account delivered into the grid in a time slot. */
export interface MeterReading {
  meter: string;
  account: string;
  slot: number;
  /** energy delivered in the slot, Wh */
  energyWh: number;
  /** a number the meter never reuses, so a reading cannot be replayed */
  nonce: number;
}

/**
 * Readings signed together by one oracle (a meter operator or the DSO): one ECDSA signature over
 * the Merkle root of the readings, so an interval's thousands of readings cost one check, and
 * changing any reading changes the root and breaks the signature.
 */
export interface SignedReadings {
  /** the oracle's secp256k1 public key, uncompressed, hex */
  oracle: string;
  readings: MeterReading[];
  /** compact r‖s ECDSA-SHA-256 signature over readingsMessage, hex */
  signature: string;
}

/** A reading's leaf: SHA-256 of its fields in a fixed, versioned order. */
export function readingLeaf(r: MeterReading, suite: CryptoSuite): Uint8Array {
  return suite.sha256(
    utf8ToBytes(`gridtier-reading:v1|${r.meter}|${r.account}|${r.slot}|${r.energyWh}|${r.nonce}`),
  );
}

/** What the oracle signs: the versioned Merkle root of its readings. */
export function readingsMessage(readings: readonly MeterReading[], suite: CryptoSuite): Uint8Array {
  const root = merkleRoot(
    readings.map((r) => readingLeaf(r, suite)),
    suite.sha256,
  );
  return utf8ToBytes(`gridtier-readings:v1|${toHex(root)}`);
}

export function signReadings(
  readings: MeterReading[],
  secretKey: Uint8Array,
  suite: CryptoSuite,
): SignedReadings {
  const sig = secp256k1.sign(readingsMessage(readings, suite), secretKey, { prehash: true });
  return { oracle: toHex(secp256k1.getPublicKey(secretKey, false)), readings, signature: toHex(sig) };
}

/** An oracle's public key, uncompressed, hex: what a meter's registration names. */
export function oraclePublicKey(secretKey: Uint8Array): string {
  return toHex(secp256k1.getPublicKey(secretKey, false));
}
