import { type EngineEvent, lineToEvent } from '@gridtier/core/engine';
import { StoreError } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { lineOf } from './event-lines.js';
import { migrate } from './migrations.js';
import type {
  AdrFilter,
  AdrKind,
  AdrReading,
  AdrRecord,
  ClientRecord,
  DeviceRecord,
  EventFilter,
  MeterReading,
  Repository,
  Role,
  StoredReading,
} from './repository.js';

const REVOKED = 'gridtier_client_revoked';
/** PostgreSQL's unique_violation */
const UNIQUE_VIOLATION = '23505';
const MAX_ADR_PER_READ = 1000;

interface AdrRow {
  id: string;
  kind: string;
  client_id: string | null;
  name: string | null;
  program_id: string | null;
  event_id: string | null;
  ven_id: string | null;
  targets: string[] | string;
  ends_ms: string | number | null;
  created_ms: string | number;
  modified_ms: string | number;
  body: Record<string, unknown> | string;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const toAdr = (r: AdrRow): AdrRecord => ({
  id: r.id,
  kind: r.kind as AdrKind,
  ...(r.client_id !== null ? { clientId: r.client_id } : {}),
  ...(r.name !== null ? { name: r.name } : {}),
  ...(r.program_id !== null ? { programId: r.program_id } : {}),
  ...(r.event_id !== null ? { eventId: r.event_id } : {}),
  ...(r.ven_id !== null ? { venId: r.ven_id } : {}),
  targets: json(r.targets),
  ...(r.ends_ms !== null ? { endsMs: Number(r.ends_ms) } : {}),
  createdMs: Number(r.created_ms),
  modifiedMs: Number(r.modified_ms),
  body: json(r.body),
});

const adrParams = (a: AdrRecord) => [
  a.id,
  a.kind,
  a.clientId ?? null,
  a.name ?? null,
  a.programId ?? null,
  a.eventId ?? null,
  a.venId ?? null,
  JSON.stringify(a.targets),
  a.endsMs ?? null,
  a.createdMs,
  a.modifiedMs,
  JSON.stringify(a.body),
];

/** A unique name taken: the store says which, the API answers 409. */
function conflictOr(e: unknown, a: AdrRecord): unknown {
  if ((e as { code?: string }).code !== UNIQUE_VIOLATION) return e;
  return new StoreError(`${a.kind.toLowerCase()} name "${a.name}" is taken`, {
    cause: e,
    details: { code: 'CONFLICT', field: 'name' },
  });
}
/** rows per INSERT: one statement carries arrays, so the count is bounded by memory, not parameters */
const EVENTS_PER_INSERT = 5000;
const MAX_EVENTS_PER_READ = 10_000;

interface ClientRow {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_ms: string | number;
  revoked_ms: string | number | null;
}

const toClient = (r: ClientRow): ClientRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  secretHash: r.secret_hash,
  createdMs: Number(r.created_ms),
  ...(r.revoked_ms === null ? {} : { revokedMs: Number(r.revoked_ms) }),
});

interface DeviceRow {
  id: string;
  owner: string;
  kind: string;
  tier: string;
  bus: string;
  phase: string;
  vpp: string;
  salt: string;
  secret_hash: string;
  created_ms: string | number;
  revoked_ms: string | number | null;
}

const toDevice = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  owner: r.owner,
  kind: r.kind as DeviceRecord['kind'],
  tier: r.tier as DeviceRecord['tier'],
  bus: r.bus,
  phase: r.phase as DeviceRecord['phase'],
  vpp: r.vpp,
  salt: r.salt,
  secretHash: r.secret_hash,
  createdMs: Number(r.created_ms),
  ...(r.revoked_ms === null ? {} : { revokedMs: Number(r.revoked_ms) }),
});

/** The repository in SQL that PGlite and PostgreSQL both speak. */
export class SqlRepository implements Repository {
  private constructor(private readonly db: Db) {}

  /** Opens the repository on a database, bringing its schema up to date. */
  static async open(db: Db): Promise<SqlRepository> {
    await migrate(db);
    return new SqlRepository(db);
  }

  get kind() {
    return this.db.kind;
  }

  get where() {
    return this.db.where;
  }

  async addClient(c: ClientRecord): Promise<void> {
    await this.db.query(
      'insert into clients (id, name, role, secret_hash, created_ms, revoked_ms) values ($1, $2, $3, $4, $5, $6)',
      [c.id, c.name, c.role, c.secretHash, c.createdMs, c.revokedMs ?? null],
    );
  }

  async client(id: string): Promise<ClientRecord | undefined> {
    const rows = await this.db.query<ClientRow>('select * from clients where id = $1', [id]);
    return rows.length === 0 ? undefined : toClient(rows[0]);
  }

  async clients(): Promise<ClientRecord[]> {
    return (await this.db.query<ClientRow>('select * from clients order by created_ms, id')).map(toClient);
  }

  async revokeClient(id: string, atMs: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        'update clients set revoked_ms = coalesce(revoked_ms, $2) where id = $1 returning id',
        [id, atMs],
      );
      if (rows.length > 0) await this.db.notify(tx, REVOKED, id);
      return rows.length > 0;
    });
  }

  async onRevoke(fn: (clientId: string) => void): Promise<void> {
    await this.db.listen(REVOKED, fn);
  }

  async meta<T>(key: string, initial: T): Promise<T> {
    await this.db.query('insert into meta (key, value) values ($1, $2) on conflict (key) do nothing', [
      key,
      JSON.stringify(initial),
    ]);
    const rows = await this.db.query<{ value: T }>('select value from meta where key = $1', [key]);
    return rows[0].value;
  }

  async appendEvents(events: readonly EngineEvent[]): Promise<void> {
    if (events.length === 0) return;
    // one statement is a transaction of its own: a batch that fits one insert needs no
    // BEGIN and COMMIT (two round trips fewer, a third of an embedded commit's work)
    if (events.length <= EVENTS_PER_INSERT) {
      await insertEvents(this.db, events);
      return;
    }
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < events.length; i += EVENTS_PER_INSERT)
        await insertEvents(tx, events.slice(i, i + EVENTS_PER_INSERT));
    });
  }

  async lastSeq(): Promise<number> {
    const rows = await this.db.query<{ s: string | number | null }>('select max(seq) as s from events');
    return Number(rows[0].s ?? 0);
  }

  async events(filter: EventFilter = {}): Promise<EngineEvent[]> {
    const where = ['seq >= $1'];
    const params: unknown[] = [filter.fromSeq ?? 1];
    if (filter.visibleTo !== undefined) {
      params.push([...filter.visibleTo]);
      where.push(`(recipients is null or recipients ?| $${params.length}::text[])`);
    }
    if (filter.types !== undefined) {
      params.push([...filter.types]);
      where.push(`type = any($${params.length}::text[])`);
    }
    params.push(Math.min(filter.limit ?? MAX_EVENTS_PER_READ, MAX_EVENTS_PER_READ));
    const rows = await this.db.query<{ seq: string | number; line: string }>(
      `select seq, line from events where ${where.join(' and ')} order by seq limit $${params.length}`,
      params,
    );
    return rows.map((r) => lineToEvent(r.line, 'events', Number(r.seq)));
  }

  async addReadings(
    oracle: string,
    readings: readonly MeterReading[],
    receivedMs: number,
  ): Promise<{ stored: number; duplicates: MeterReading[] }> {
    return this.db.transaction(async (tx) => {
      const duplicates: MeterReading[] = [];
      let stored = 0;
      for (const r of readings) {
        const rows = await tx.query(
          `insert into meter_readings (meter, interval_start_ms, interval_minutes, kwh, oracle, received_ms)
           values ($1, $2, $3, $4, $5, $6) on conflict (meter, interval_start_ms) do nothing returning meter`,
          [r.meter, r.intervalStartMs, r.intervalMinutes, r.kwh, oracle, receivedMs],
        );
        if (rows.length === 0) duplicates.push(r);
        else stored++;
      }
      return { stored, duplicates };
    });
  }

  async readings(filter: {
    meter?: string;
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<StoredReading[]> {
    const rows = await this.db.query<{
      meter: string;
      interval_start_ms: string | number;
      interval_minutes: number;
      kwh: number;
      oracle: string;
      received_ms: string | number;
    }>(
      `select * from meter_readings
       where ($1::text is null or meter = $1) and interval_start_ms >= $2 and interval_start_ms < $3
       order by interval_start_ms, meter limit $4`,
      [
        filter.meter ?? null,
        filter.fromMs ?? 0,
        filter.toMs ?? Number.MAX_SAFE_INTEGER,
        Math.min(filter.limit ?? 10_000, 10_000),
      ],
    );
    return rows.map((r) => ({
      meter: r.meter,
      intervalStartMs: Number(r.interval_start_ms),
      intervalMinutes: r.interval_minutes,
      kwh: r.kwh,
      oracle: r.oracle,
      receivedMs: Number(r.received_ms),
    }));
  }

  async adrInsert(a: AdrRecord): Promise<void> {
    try {
      await this.db.query(
        `insert into openadr_objects (id, kind, client_id, name, program_id, event_id, ven_id, targets, ends_ms, created_ms, modified_ms, body)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb)`,
        adrParams(a),
      );
    } catch (e) {
      throw conflictOr(e, a);
    }
  }

  async adrUpdate(a: AdrRecord): Promise<boolean> {
    try {
      const rows = await this.db.query(
        `update openadr_objects set client_id = $3, name = $4, program_id = $5, event_id = $6, ven_id = $7,
           targets = $8::jsonb, ends_ms = $9, created_ms = $10, modified_ms = $11, body = $12::jsonb
         where id = $1 and kind = $2 returning id`,
        adrParams(a),
      );
      return rows.length > 0;
    } catch (e) {
      throw conflictOr(e, a);
    }
  }

  async adrGet(kind: AdrKind, id: string): Promise<AdrRecord | undefined> {
    const rows = await this.db.query<AdrRow>('select * from openadr_objects where id = $1 and kind = $2', [
      id,
      kind,
    ]);
    return rows.length === 0 ? undefined : toAdr(rows[0]);
  }

  async adrList(f: AdrFilter): Promise<AdrRecord[]> {
    const params: unknown[] = [f.kind];
    const where = ['kind = $1'];
    const eq = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    eq('client_id', f.clientId);
    eq('name', f.name);
    eq('program_id', f.programId);
    eq('event_id', f.eventId);
    eq('ven_id', f.venId);
    if (f.targets !== undefined) {
      params.push([...f.targets]);
      const any = `targets ?| $${params.length}::text[]`;
      where.push(f.orUntargeted ? `(jsonb_array_length(targets) = 0 or ${any})` : any);
    }
    if (f.activeAtMs !== undefined) {
      params.push(f.activeAtMs);
      where.push(`(ends_ms is null or ends_ms > $${params.length})`);
    }
    params.push(f.skip ?? 0, Math.min(f.limit ?? MAX_ADR_PER_READ, MAX_ADR_PER_READ));
    const rows = await this.db.query<AdrRow>(
      `select * from openadr_objects where ${where.join(' and ')}
       order by ord offset $${params.length - 1} limit $${params.length}`,
      params,
    );
    return rows.map(toAdr);
  }

  async adrDelete(kind: AdrKind, id: string): Promise<AdrRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<AdrRow>(
        'delete from openadr_objects where id = $1 and kind = $2 returning *',
        [id, kind],
      );
      if (kind === 'RESOURCE') await tx.query('delete from openadr_readings where resource_id = $1', [id]);
      return rows.length === 0 ? undefined : toAdr(rows[0]);
    });
  }

  async adrPutReadings(readings: readonly AdrReading[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const r of readings)
        await tx.query(
          `insert into openadr_readings (resource_id, type, interval_start_ms, duration_ms, kwh, report_id, client_id, received_ms)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (resource_id, type, interval_start_ms) do update set duration_ms = excluded.duration_ms,
             kwh = excluded.kwh, report_id = excluded.report_id, client_id = excluded.client_id,
             received_ms = excluded.received_ms`,
          [
            r.resourceId,
            r.type,
            r.intervalStartMs,
            r.durationMs,
            r.kwh,
            r.reportId,
            r.clientId,
            r.receivedMs,
          ],
        );
    });
  }

  async adrReadings(filter: {
    resourceId: string;
    type?: AdrReading['type'];
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<AdrReading[]> {
    const rows = await this.db.query<Record<string, string | number>>(
      `select * from openadr_readings
       where resource_id = $1 and ($2::text is null or type = $2) and interval_start_ms >= $3 and interval_start_ms < $4
       order by interval_start_ms, type limit $5`,
      [
        filter.resourceId,
        filter.type ?? null,
        filter.fromMs ?? 0,
        filter.toMs ?? Number.MAX_SAFE_INTEGER,
        Math.min(filter.limit ?? 10_000, 10_000),
      ],
    );
    return rows.map((r) => ({
      resourceId: String(r.resource_id),
      type: r.type as AdrReading['type'],
      intervalStartMs: Number(r.interval_start_ms),
      durationMs: Number(r.duration_ms),
      kwh: Number(r.kwh),
      reportId: String(r.report_id),
      clientId: String(r.client_id),
      receivedMs: Number(r.received_ms),
    }));
  }

  async addDevice(d: DeviceRecord): Promise<void> {
    try {
      await this.db.query(
        `insert into devices (id, owner, kind, tier, bus, phase, vpp, salt, secret_hash, created_ms, revoked_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          d.id,
          d.owner,
          d.kind,
          d.tier,
          d.bus,
          d.phase,
          d.vpp,
          d.salt,
          d.secretHash,
          d.createdMs,
          d.revokedMs ?? null,
        ],
      );
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
      throw new StoreError(`device id "${d.id}" is taken`, {
        cause: e,
        details: { code: 'CONFLICT', field: 'id' },
      });
    }
  }

  async devices(): Promise<DeviceRecord[]> {
    return (await this.db.query<DeviceRow>('select * from devices order by ord')).map(toDevice);
  }

  async revokeDevice(id: string, atMs: number): Promise<boolean> {
    const rows = await this.db.query(
      'update devices set revoked_ms = coalesce(revoked_ms, $2) where id = $1 returning id',
      [id, atMs],
    );
    return rows.length > 0;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function insertEvents(db: Queryable, part: readonly EngineEvent[]): Promise<void> {
  await db.query(
    `insert into events (seq, t_ms, type, actor, recipients, line)
     select seq, t, type, actor, recipients::jsonb, line
     from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], string_to_array($6, E'\\n'))
       as e(seq, t, type, actor, recipients, line)`,
    [
      part.map((e) => e.seq),
      part.map((e) => e.t),
      part.map((e) => e.type),
      part.map((e) => e.actor),
      part.map((e) => (e.to === undefined ? null : JSON.stringify(e.to))),
      // the lines as one text, split by the database: a text[] parameter would be escaped
      // element by element in JavaScript (a fifth of the server's allocation under load), and
      // a journal line never holds a raw newline (JSON escapes it)
      part.map(lineOf).join('\n'),
    ],
  );
}
