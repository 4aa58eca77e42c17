import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are 256 random bits, so one SHA-256 is enough to store them: a slow password
 * hash guards guessable passwords, and these cannot be guessed. The hash is compared in
 * constant time.
 */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function secretMatches(secret: string, hashHex: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hashHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A client id: not secret, but not guessable either. */
export const newClientId = (): string => `c_${randomBytes(9).toString('base64url')}`;

/** Whether a text has the shape of a client id (what newClientId makes). */
export const isClientId = (id: string): boolean => /^c_[A-Za-z0-9_-]{12}$/.test(id);
