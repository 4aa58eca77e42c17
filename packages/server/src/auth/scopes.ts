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
  'devices:write',
  'devices:read',
  // OpenADR 3.1's scopes, by the spec's own names (a VTN client asks for them at /openadr3/auth/token)
  'read_all',
  'read_bl',
  'read_targets',
  'read_ven_objects',
  'write_programs',
  'write_events',
  'write_reports',
  'write_subscriptions',
  'write_vens',
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
 * OpenADR's business logic (BL): it writes programs, events and ven objects and reads everything
 * (read_all lifts the VEN filters). Reports are the VENs' to write, so BL has no write_reports.
 */
const OPENADR_BL: Scope[] = [
  'read_all',
  // the spec asks it (not read_all) of the MQTT topic names of every event, report, ven, …
  'read_bl',
  'read_targets',
  'read_ven_objects',
  'write_programs',
  'write_events',
  'write_subscriptions',
  'write_vens',
];

/** An OpenADR VEN: reads what is targeted at it and its own objects, writes reports and its own ven objects. */
const OPENADR_VEN: Scope[] = [
  'read_targets',
  'read_ven_objects',
  'write_reports',
  'write_subscriptions',
  'write_vens',
];

/**
 * The scopes each role is granted. Traders (the DSO, aggregators, prosumers) see only their own
 * orders, fills and statements; the DSO also reads meter readings and every account (it settles
 * the feeder); an auditor reads everything and trades nothing; an oracle reports meter readings;
 * a device only follows the markets; the admin manages clients. MQTT devices are registered by
 * the admin and by an aggregator for its own VPP (the VPP named as the aggregator); the DSO and
 * the auditor read every fleet. In OpenADR the admin and the DSO
 * are the VTN's business logic, a ven is a VEN, and the auditor reads every OpenADR object.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  admin: ['markets:read', 'clients:admin', 'feed:read', 'devices:write', 'devices:read', ...OPENADR_BL],
  dso: [...TRADER, 'accounts:read', 'readings:read', 'devices:read', ...OPENADR_BL],
  aggregator: [...TRADER, 'devices:write', 'devices:read'],
  prosumer: TRADER,
  device: ['markets:read', 'feed:read'],
  oracle: ['markets:read', 'readings:write', 'readings:read', 'feed:read'],
  auditor: [
    'markets:read',
    'statements:read',
    'accounts:read',
    'readings:read',
    'events:read',
    'feed:read',
    'devices:read',
    'read_all',
    'read_bl',
    'read_targets',
    'read_ven_objects',
  ],
  ven: ['markets:read', ...OPENADR_VEN],
};

/** Roles that read every participant's records rather than only their own. */
export const SEES_ALL: ReadonlySet<Role> = new Set<Role>(['auditor']);
