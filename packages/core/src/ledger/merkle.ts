import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { InvalidValueError } from '../errors/index.js';

type Hash = (data: Uint8Array) => Uint8Array;

/**
 * A Merkle tree over 32-byte leaves whose inner nodes hash the two children in ascending byte
 * order (the commutative convention of OpenZeppelin's MerkleProof), with SHA-256, which a
 * contract computes with a precompile and Node natively.
 */
export function merkleRoot(leaves: readonly Uint8Array[], hash: Hash = sha256): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(32);
  let level = [...leaves];
  while (level.length > 1) level = up(level, hash);
  return level[0];
}

/** The sibling hashes from leaf `index` up to the root. */
export function merkleProof(leaves: readonly Uint8Array[], index: number, hash: Hash = sha256): Uint8Array[] {
  if (!(index >= 0 && index < leaves.length))
    throw new InvalidValueError(`Merkle proof: no leaf ${index} among ${leaves.length}`);
  const proof: Uint8Array[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    const sibling = i ^ 1;
    if (sibling < level.length) proof.push(level[sibling]);
    level = up(level, hash);
    i >>= 1;
  }
  return proof;
}

export function verifyMerkleProof(
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hash: Hash = sha256,
): boolean {
  let h = leaf;
  for (const p of proof) h = hashPair(h, p, hash);
  return equal(h, root);
}

function up(level: Uint8Array[], hash: Hash): Uint8Array[] {
  const next: Uint8Array[] = [];
  // an odd node out is carried up unchanged
  for (let i = 0; i < level.length; i += 2)
    next.push(i + 1 < level.length ? hashPair(level[i], level[i + 1], hash) : level[i]);
  return next;
}

function hashPair(a: Uint8Array, b: Uint8Array, hash: Hash): Uint8Array {
  return compare(a, b) <= 0 ? hash(concatBytes(a, b)) : hash(concatBytes(b, a));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compare(a, b) === 0;
}

export const toHex = (b: Uint8Array) => `0x${bytesToHex(b)}`;
export const fromHex = (h: string) => hexToBytes(h.startsWith('0x') ? h.slice(2) : h);
