import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex } from './merkle.js';

/**
 * The hashing and signature checks settlement needs: SHA-256, and ECDSA over secp256k1 with
 * SHA-256 (compact r‖s signatures, uncompressed public keys in hex). The pure-JavaScript suite
 * here runs anywhere; the Node suite (node/native-crypto) does the same checks natively.
 */
export interface CryptoSuite {
  sha256(data: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signatureHex: string, publicKeyHex: string): boolean;
}

export const jsCrypto: CryptoSuite = {
  sha256: (data) => sha256(data),
  verify: (message, signatureHex, publicKeyHex) => {
    try {
      return secp256k1.verify(fromHex(signatureHex), message, fromHex(publicKeyHex), { prehash: true });
    } catch {
      return false;
    }
  },
};
