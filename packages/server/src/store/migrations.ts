import { StoreError } from '../errors.js';
import { type Db, MIGRATION_LOCK } from './db.js';

/**
 * The schema, as numbered steps applied once each and in order. A step already applied is
 * never edited: a change is a new step. The same SQL runs on PGlite and on PostgreSQL.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'clients, events, meter readings',
    sql: `
create table meta (
  key text primary key,
  value jsonb not null
);
create table clients (
  id text primary key,
  name text not null unique,
  role text not null,
  secret_hash text not null,
  created_ms bigint not null,
  revoked_ms bigint
);
-- the engine's event log: one row per event, line is the event exactly as written (the other
-- columns are there to select by)
create table events (
  seq bigint primary key,
  t_ms bigint not null,
  type text not null,
  actor text not null,
  recipients jsonb,
  line text not null
);
create index events_recipients on events using gin (recipients);
create table meter_readings (
  meter text not null,
  interval_start_ms bigint not null,
  interval_minutes integer not null,
  kwh double precision not null,
  oracle text not null,
  received_ms bigint not null,
  primary key (meter, interval_start_ms)
);
`,
  },
  {
    version: 2,
    name: 'OpenADR objects',
    sql: `
-- OpenADR 3.1's programs, events, reports, subscriptions, vens and resources: one row each, body
-- is the object as the API returns it, the other columns are there to select by and to keep
-- names unique where the spec asks
create table openadr_objects (
  id text primary key,
  -- the order objects were created in (lists are in it, so skip and limit page steadily)
  ord bigint generated always as identity,
  kind text not null,
  client_id text,
  name text,
  program_id text,
  event_id text,
  ven_id text,
  targets jsonb not null,
  -- when an event's last interval ends (null: open-ended or not an event), for ?active=true
  ends_ms bigint,
  created_ms bigint not null,
  modified_ms bigint not null,
  body jsonb not null
);
create index openadr_kind on openadr_objects (kind, ord);
create index openadr_targets on openadr_objects using gin (targets);
create unique index openadr_program_name on openadr_objects (name) where kind = 'PROGRAM';
create unique index openadr_ven_name on openadr_objects (name) where kind = 'VEN';
create unique index openadr_resource_name on openadr_objects (ven_id, name) where kind = 'RESOURCE'
`,
  },
  {
    version: 3,
    name: 'OpenADR resource readings',
    sql: `
-- what VENs reported of their resources (USAGE, BASELINE), kWh per interval: one row per resource,
-- type and interval start, a later report of the interval replacing the earlier
create table openadr_readings (
  resource_id text not null,
  type text not null,
  interval_start_ms bigint not null,
  duration_ms bigint not null,
  kwh double precision not null,
  report_id text not null,
  client_id text not null,
  received_ms bigint not null,
  primary key (resource_id, type, interval_start_ms)
)
`,
  },
  {
    version: 4,
    name: 'MQTT devices',
    sql: `
-- the device gateway's registry: one row per device ever registered (a revoked id stays taken);
-- the secret is kept as a salted hash only
create table devices (
  id text primary key,
  ord bigint generated always as identity,
  owner text not null,
  kind text not null,
  tier text not null,
  bus text not null,
  phase text not null,
  vpp text not null,
  salt text not null,
  secret_hash text not null,
  created_ms bigint not null,
  revoked_ms bigint
);
create index devices_vpp on devices (vpp, ord)
`,
  },
];

/** Brings the schema up to date; refuses a database written by a newer GridTier. */
export async function migrate(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    // two servers starting on one database take turns
    if (db.kind === 'postgres') await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.query(
      'create table if not exists schema_migrations (version integer primary key, name text not null, applied_ms bigint not null)',
    );
    const rows = await tx.query<{ version: number }>(
      'select version from schema_migrations order by version',
    );
    const have = rows.map((r) => Number(r.version));
    const newest = MIGRATIONS[MIGRATIONS.length - 1].version;
    const unknown = have.find((v) => v > newest);
    if (unknown !== undefined)
      throw new StoreError(
        `the database at ${db.where} has schema version ${unknown}, newer than this GridTier's ${newest}`,
      );
    for (const m of MIGRATIONS) {
      if (have.includes(m.version)) continue;
      for (const statement of m.sql.split(';').filter((s) => s.replace(/--.*$/gm, '').trim() !== ''))
        await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name, applied_ms) values ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
    return newest;
  });
}
