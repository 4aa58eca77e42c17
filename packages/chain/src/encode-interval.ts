import type { ledger } from '@gridtier/core';
import { type Address, type Hex, hexToBigInt } from 'viem';
import { accountAddress } from './addresses.js';

type SettlementTrade = ledger.SettlementTrade;
type SignedReadings = ledger.SignedReadings;

export interface EncodedInterval {
  touched: Address[];
  groups: bigint[];
  batches: {
    r: Hex;
    s: Hex;
    readings: { meter: string; account: string; slot: bigint; energyWh: bigint; nonce: bigint }[];
  }[];
}

const U32 = 2n ** 32n;
const U64 = 2n ** 64n;

/**
 * Packs an interval for Settlement.settle: the accounts it moves in ascending address order, and
 * per seller and slot (ascending) a header word and two words per trade. Packing keeps calldata
 * at 64 bytes a trade and lets the contract find each reading's group by binary search.
 */
export function encodeInterval(
  trades: readonly SettlementTrade[],
  deliveredWh: readonly number[],
  readings: readonly SignedReadings[],
  fallbackAccount: string,
): EncodedInterval {
  const addressOf = new Map<string, Address>();
  const addr = (name: string) => {
    let a = addressOf.get(name);
    if (!a) {
      a = accountAddress(name);
      addressOf.set(name, a);
    }
    return a;
  };
  const value = new Map<Address, bigint>();
  for (const t of trades) {
    addr(t.seller);
    addr(t.buyer);
  }
  addr(fallbackAccount);
  for (const a of addressOf.values()) value.set(a, hexToBigInt(a));
  const touched = [...new Set(addressOf.values())].sort((a, b) => cmp(value.get(a)!, value.get(b)!));
  const local = new Map(touched.map((a, i) => [a, BigInt(i)]));

  const groups = new Map<bigint, { seller: bigint; slot: bigint; words: bigint[] }>();
  trades.forEach((t, i) => {
    const seller = addr(t.seller);
    const key = (value.get(seller)! << 64n) | BigInt(t.slot);
    let g = groups.get(key);
    if (!g) {
      g = { seller: local.get(seller)!, slot: BigInt(t.slot), words: [] };
      groups.set(key, g);
    }
    g.words.push(
      (local.get(addr(t.buyer))! << 224n) |
        (u64(t.energyWh) << 160n) |
        (u64(t.priceMicroPerWh) << 96n) |
        (u64(deliveredWh[i]) << 32n),
      BigInt(t.block),
    );
  });
  const words: bigint[] = [];
  for (const key of [...groups.keys()].sort(cmp)) {
    const g = groups.get(key)!;
    words.push(
      (g.seller << 224n) | (g.slot << 160n) | ((BigInt(g.words.length / 2) % U32) << 128n),
      ...g.words,
    );
  }
  return {
    touched,
    groups: words,
    batches: readings.map((b) => {
      const sig = b.signature.startsWith('0x') ? b.signature.slice(2) : b.signature;
      return {
        r: `0x${sig.slice(0, 64)}`,
        s: `0x${sig.slice(64, 128)}`,
        readings: b.readings.map((r) => ({
          meter: r.meter,
          account: r.account,
          slot: BigInt(r.slot),
          energyWh: BigInt(r.energyWh),
          nonce: BigInt(r.nonce),
        })),
      };
    }),
  };
}

function u64(n: number): bigint {
  return BigInt(n) % U64;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
