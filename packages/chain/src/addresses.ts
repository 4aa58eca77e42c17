import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { type Address, getAddress, type Hex } from 'viem';

// Hashing here runs per trade on the operator's side of every interval, so it works on bytes
// with the audited keccak directly rather than through hex strings.

const addresses = new Map<string, Address>();

/** A participant's address follows from its name (as Settlement.accountAddress computes it). */
export function accountAddress(name: string): Address {
  let a = addresses.get(name);
  if (!a) {
    a = getAddress(`0x${bytesToHex(keccak_256(utf8ToBytes(`gridtier-account:${name}`)).subarray(12))}`);
    addresses.set(name, a);
  }
  return a;
}

/** The Ethereum address of an uncompressed secp256k1 public key in hex (04‖x‖y). */
export function oracleAddress(publicKeyHex: string): Address {
  const hex = publicKeyHex.startsWith('0x') ? publicKeyHex.slice(2) : publicKeyHex;
  const xy = Uint8Array.from(hex.slice(2).match(/../g) ?? [], (b) => Number.parseInt(b, 16));
  return getAddress(`0x${bytesToHex(keccak_256(xy).subarray(12))}`);
}

export const nameHashBytes = (s: string): Uint8Array => keccak_256(utf8ToBytes(s));
export const nameHash = (s: string): Hex => `0x${bytesToHex(nameHashBytes(s))}`;

/**
 * Where the registry keeps an energy block's sold bit: the word keccak256(abi.encode(seller,
 * slot, block / 256)) and the bit block % 256 in it.
 */
export function blockKey(seller: Address, slot: number, block: number): { key: Hex; bit: bigint } {
  const buf = new Uint8Array(96);
  putAddress(buf, 0, seller);
  putUint(buf, 32, slot);
  putUint(buf, 64, Math.floor(block / 256));
  return { key: `0x${bytesToHex(keccak_256(buf))}`, bit: 1n << BigInt(block % 256) };
}

/** The replay key of a reading: keccak256(abi.encode(keccak256(meter), nonce)). */
export function readingKey(meter: string, nonce: number): Hex {
  const buf = new Uint8Array(64);
  buf.set(nameHashBytes(meter), 0);
  putUint(buf, 32, nonce);
  return `0x${bytesToHex(keccak_256(buf))}`;
}

function putAddress(buf: Uint8Array, at: number, a: Address): void {
  for (let i = 0; i < 20; i++) buf[at + 12 + i] = Number.parseInt(a.slice(2 + 2 * i, 4 + 2 * i), 16);
}

/** a non-negative safe integer, big-endian in a 32-byte word */
function putUint(buf: Uint8Array, at: number, n: number): void {
  let v = BigInt(n);
  for (let i = 31; i >= 0 && v > 0n; i--) {
    buf[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}
