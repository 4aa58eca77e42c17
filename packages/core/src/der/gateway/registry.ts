import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DEVICE_KINDS, type DeviceKindName, TIERS, type TierName } from '../devices/index.js';
import { DeviceRefusedError } from './errors.js';
import { isValidId } from './topics.js';

export const PHASES = ['a', 'b', 'c'] as const;
export type Phase = (typeof PHASES)[number];

/** What the platform knows of a device: who owns it, what it is, where it sits, who steers it. */
export interface DeviceInfo {
  id: string;
  owner: string;
  kind: DeviceKindName;
  /** the customer's colour for it (green is shed first, black never) */
  tier: TierName;
  bus: string;
  phase: Phase;
  vpp: string;
}

interface Entry {
  info: DeviceInfo;
  salt: string;
  secretHash: string;
  revoked: boolean;
}

/**
 * Secrets are random (the caller draws them, 24 bytes or more), so one salted SHA-256 protects
 * a stored hash as well as a slow hash would, and verifying ten thousand connects stays cheap.
 */
export const hashDeviceSecret = (salt: string, secret: string): string =>
  bytesToHex(sha256(utf8ToBytes(`${salt}:${secret}`)));

/** What a store keeps of a device's secret: never the secret itself. */
export interface DeviceCredentials {
  salt: string;
  secretHash: string;
}

/** Compares in time independent of where the strings differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

function refuse(field: string, message: string, value: unknown): never {
  throw new DeviceRefusedError(`device ${field}: ${message}, got ${JSON.stringify(value)}`, {
    details: { field, value },
  });
}

/** Checks a registration; every refusal names the field. */
export function checkDeviceInfo(input: DeviceInfo): DeviceInfo {
  for (const f of ['id', 'owner', 'bus', 'vpp'] as const)
    if (typeof input[f] !== 'string' || !isValidId(input[f]))
      refuse(f, 'must be 1–64 characters of A–Z, a–z, 0–9, _ . -', input[f]);
  if (!DEVICE_KINDS.includes(input.kind))
    refuse('kind', `must be one of ${DEVICE_KINDS.join(', ')}`, input.kind);
  if (!TIERS.includes(input.tier)) refuse('tier', `must be one of ${TIERS.join(', ')}`, input.tier);
  if (!PHASES.includes(input.phase)) refuse('phase', `must be one of ${PHASES.join(', ')}`, input.phase);
  const { id, owner, kind, tier, bus, phase, vpp } = input;
  return { id, owner, kind, tier, bus, phase, vpp };
}

/** The device registry with per-device credentials; revocation is immediate and observable. */
export class DeviceRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly revokeListeners: ((id: string) => void)[] = [];

  /** Registers a device with its secret (drawn by the caller from a secure source). */
  add(info: DeviceInfo, secret: string, salt: string): DeviceInfo {
    const checked = checkDeviceInfo(info);
    if (this.entries.has(checked.id)) refuse('id', 'is already registered', checked.id);
    if (typeof secret !== 'string' || secret.length < 16)
      refuse('secret', 'must have 16 characters or more', '…');
    this.entries.set(checked.id, {
      info: checked,
      salt,
      secretHash: hashDeviceSecret(salt, secret),
      revoked: false,
    });
    return checked;
  }

  /** Puts back a device a store kept (its secret known only by its hash), revoked or not. */
  restore(info: DeviceInfo, credentials: DeviceCredentials, revoked = false): DeviceInfo {
    const checked = checkDeviceInfo(info);
    if (this.entries.has(checked.id)) refuse('id', 'is already registered', checked.id);
    this.entries.set(checked.id, { info: checked, ...credentials, revoked });
    return checked;
  }

  get(id: string): DeviceInfo | undefined {
    const e = this.entries.get(id);
    return e && !e.revoked ? e.info : undefined;
  }

  isRevoked(id: string): boolean {
    return this.entries.get(id)?.revoked === true;
  }

  /** The device if the id is registered, not revoked, and the secret is its own. */
  verify(id: string, secret: string): DeviceInfo | undefined {
    const e = this.entries.get(id);
    if (!e || e.revoked) return undefined;
    return sameHex(e.secretHash, hashDeviceSecret(e.salt, secret)) ? e.info : undefined;
  }

  /** Revokes a device: it can no longer connect, and listeners (the broker) disconnect it now. */
  revoke(id: string): boolean {
    const e = this.entries.get(id);
    if (!e || e.revoked) return false;
    e.revoked = true;
    for (const l of this.revokeListeners) l(id);
    return true;
  }

  onRevoke(listener: (id: string) => void): void {
    this.revokeListeners.push(listener);
  }

  /** Active devices, optionally of one VPP. */
  list(vpp?: string): DeviceInfo[] {
    const out: DeviceInfo[] = [];
    for (const e of this.entries.values())
      if (!e.revoked && (vpp === undefined || e.info.vpp === vpp)) out.push(e.info);
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}
