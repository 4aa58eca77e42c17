import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { InvalidValueError } from '../errors/index.js';
import type { ledger } from '../index.js';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/**
 * The settlement's hashing and signature checks done by Node's own crypto (OpenSSL): the same
 * SHA-256 and ECDSA-secp256k1 as the pure-JavaScript suite, many times faster.
 */
export function nodeCrypto(): ledger.CryptoSuite {
  const keys = new Map<string, KeyObject>();
  const keyOf = (hex: string) => {
    let k = keys.get(hex);
    if (!k) {
      const raw = Buffer.from(hex.startsWith('0x') ? hex.slice(2) : hex, 'hex');
      if (raw.length !== 65 || raw[0] !== 4)
        throw new InvalidValueError(
          `oracle key ${hex.slice(0, 18)}…: not an uncompressed secp256k1 public key`,
        );
      k = createPublicKey({
        key: { kty: 'EC', crv: 'secp256k1', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33)) },
        format: 'jwk',
      });
      keys.set(hex, k);
    }
    return k;
  };
  return {
    sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
    verify: (message, signatureHex, publicKeyHex) => {
      try {
        const sig = Buffer.from(signatureHex.startsWith('0x') ? signatureHex.slice(2) : signatureHex, 'hex');
        return verify('sha256', message, { key: keyOf(publicKeyHex), dsaEncoding: 'ieee-p1363' }, sig);
      } catch {
        return false;
      }
    },
  };
}
