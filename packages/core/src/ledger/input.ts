import { z } from 'zod';
import { schemaRefusal } from '../errors/index.js';
import type { SignedReadings } from './meter-reading.js';
import type { SettlementTrade } from './types.js';

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1);
const hexKey = z
  .string()
  .regex(/^(0x)?04[0-9a-fA-F]{128}$/, 'an uncompressed secp256k1 public key in hex (04‖x‖y)');

const tradeSchema = z
  .object({
    id: name,
    seller: name,
    buyer: name,
    slot: count,
    block: count,
    energyWh: count,
    priceMicroPerWh: count,
  })
  .strict();

const intervalFileSchema = z
  .object({
    interval: name,
    fallbackPriceMicroPerWh: count,
    accounts: z.array(z.object({ name, depositMicroUsd: count.default(0) }).strict()).default([]),
    meters: z.array(z.object({ meter: name, account: name, oracle: hexKey }).strict()).default([]),
    trades: z.array(tradeSchema),
  })
  .strict();

const readingsFileSchema = z.array(
  z
    .object({
      oracle: hexKey,
      signature: z.string().regex(/^(0x)?[0-9a-fA-F]{128}$/, 'a compact r‖s signature, 64 bytes in hex'),
      readings: z.array(
        z.object({ meter: name, account: name, slot: count, energyWh: count, nonce: count }).strict(),
      ),
    })
    .strict(),
);

/** An interval to settle as a file gives it: the accounts and meters it needs, and its trades. */
export interface IntervalFile {
  interval: string;
  fallbackPriceMicroPerWh: number;
  accounts: { name: string; depositMicroUsd: number }[];
  meters: { meter: string; account: string; oracle: string }[];
  trades: SettlementTrade[];
}

/** Reads an interval file's JSON, refusing it with every problem named by its path (trades.3.energyWh). */
export function parseIntervalFile(doc: unknown, source = 'trades'): IntervalFile {
  const r = intervalFileSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}

/** Reads signed meter readings: an array of batches, each with its oracle's key and signature. */
export function parseReadingsFile(doc: unknown, source = 'readings'): SignedReadings[] {
  const r = readingsFileSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}
