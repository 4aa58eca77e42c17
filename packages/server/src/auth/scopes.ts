import type { Role } from '../store/index.js';

/** What a route asks of its caller: one scope each. */
export const SCOPES = [
  'markets:read',
  'orders:write',
  'orders:read',
  'fills:read',
  'statements:read',
  'accounts:read',
  'readings:write',
  'readings:read',
  'events:read',
  'feed:read',
  'clients:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

const TRADER: Scope[] = [
  'markets:read',
  'orders:write',
  'orders:read',
  'fills:read',
  'statements:read',
  'feed:read',
];

/**
 * The scopes each role is granted. Traders (the DSO, aggregators, prosumers) see only their own
 * orders, fills and statements; the DSO also reads meter readings and every account (it settles
 * the feeder); an auditor reads everything and trades nothing; an oracle reports meter readings;
 * a device only follows the markets; the admin manages clients.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  admin: ['markets:read', 'clients:admin', 'feed:read'],
  dso: [...TRADER, 'accounts:read', 'readings:read'],
  aggregator: TRADER,
  prosumer: TRADER,
  device: ['markets:read', 'feed:read'],
  oracle: ['markets:read', 'readings:write', 'readings:read', 'feed:read'],
  auditor: ['markets:read', 'statements:read', 'accounts:read', 'readings:read', 'events:read', 'feed:read'],
};

/** Roles that read every participant's records rather than only their own. */
export const SEES_ALL: ReadonlySet<Role> = new Set<Role>(['auditor']);
