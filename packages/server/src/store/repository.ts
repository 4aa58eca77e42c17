import type { DeviceCredentials, DeviceInfo } from '@gridtier/core/der/gateway';
import type { EngineEvent } from '@gridtier/core/engine';

export const ROLES = [
  'admin',
  'dso',
  'aggregator',
  'prosumer',
  'device',
  'oracle',
  'auditor',
  'ven',
] as const;
export type Role = (typeof ROLES)[number];

/** A client of the API; its name is its participant id in the markets. */
export interface ClientRecord {
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the client secret, hex: the secret itself is never stored */
  secretHash: string;
  createdMs: number;
  revokedMs?: number;
}

/** One metered interval, as an oracle reports it. */
export interface MeterReading {
  meter: string;
  intervalStartMs: number;
  intervalMinutes: number;
  kwh: number;
}

export interface StoredReading extends MeterReading {
  oracle: string;
  receivedMs: number;
}

/** Which events a reader may see: all (an auditor), or the public ones and those sent to it. */
export interface EventFilter {
  fromSeq?: number;
  limit?: number;
  /** only public events and those addressed to one of these participants */
  visibleTo?: readonly string[];
  /** event types, exact */
  types?: readonly string[];
}

/** The kinds of object OpenADR 3.1 addresses (its `objectTypes`). */
export const ADR_KINDS = ['PROGRAM', 'EVENT', 'REPORT', 'SUBSCRIPTION', 'VEN', 'RESOURCE'] as const;
export type AdrKind = (typeof ADR_KINDS)[number];

/** One OpenADR object as stored: the body is what the API returns, the rest is what it is selected by. */
export interface AdrRecord {
  id: string;
  kind: AdrKind;
  /** the client it belongs to (reports, subscriptions, vens, resources) */
  clientId?: string;
  /** programName, venName, resourceName, eventName, reportName */
  name?: string;
  programId?: string;
  eventId?: string;
  venId?: string;
  targets: readonly string[];
  /** when an event's last interval ends; absent when open-ended */
  endsMs?: number;
  createdMs: number;
  modifiedMs: number;
  body: Record<string, unknown>;
}

/** One interval a VEN reported of one of its resources (a USAGE or BASELINE payload), in kWh. */
export interface AdrReading {
  resourceId: string;
  type: 'USAGE' | 'BASELINE';
  intervalStartMs: number;
  durationMs: number;
  kwh: number;
  /** the report it came in, and that report's client */
  reportId: string;
  clientId: string;
  receivedMs: number;
}

/** Which objects of a kind to list; every term given must match (the spec's filters are additive). */
export interface AdrFilter {
  kind: AdrKind;
  clientId?: string;
  name?: string;
  programId?: string;
  eventId?: string;
  venId?: string;
  /**
   * objects carrying at least one of these targets; with `orUntargeted`, objects carrying none
   * match too
   */
  targets?: readonly string[];
  orUntargeted?: boolean;
  /** leaves out objects that ended before this instant */
  activeAtMs?: number;
  skip?: number;
  limit?: number;
}

/** A device of the MQTT gateway's registry: what it is and where, its secret's hash, its life. */
export interface DeviceRecord extends DeviceInfo, DeviceCredentials {
  createdMs: number;
  revokedMs?: number;
}

/**
 * Everything the server keeps, behind one interface: the same implementation runs on embedded
 * PostgreSQL and on a PostgreSQL server, and `repositorySuite` holds both to the same behaviour.
 */
export interface Repository {
  readonly kind: 'pglite' | 'postgres';
  readonly where: string;

  addClient(client: ClientRecord): Promise<void>;
  client(id: string): Promise<ClientRecord | undefined>;
  clients(): Promise<ClientRecord[]>;
  /** marks a client revoked (and tells every server on the database); false if unknown */
  revokeClient(id: string, atMs: number): Promise<boolean>;
  /** calls `fn` with the id of every client revoked from now on, by any process */
  onRevoke(fn: (clientId: string) => void): Promise<void>;

  /** the value stored under `key`, storing `initial` first when there is none */
  meta<T>(key: string, initial: T): Promise<T>;

  /** appends events in one transaction: all are durable when it resolves, or none */
  appendEvents(events: readonly EngineEvent[]): Promise<void>;
  lastSeq(): Promise<number>;
  events(filter?: EventFilter): Promise<EngineEvent[]>;

  /** stores readings; a reading of a meter and interval already stored is refused, not replaced */
  addReadings(
    oracle: string,
    readings: readonly MeterReading[],
    receivedMs: number,
  ): Promise<{ stored: number; duplicates: MeterReading[] }>;
  readings(filter: {
    meter?: string;
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<StoredReading[]>;

  /** stores a new OpenADR object; a name already taken where names are unique is a StoreError with code CONFLICT */
  adrInsert(record: AdrRecord): Promise<void>;
  /** replaces an object (same id and kind); false if there is none */
  adrUpdate(record: AdrRecord): Promise<boolean>;
  adrGet(kind: AdrKind, id: string): Promise<AdrRecord | undefined>;
  /** objects in the order they were created */
  adrList(filter: AdrFilter): Promise<AdrRecord[]>;
  /** deletes an object, returning what it was (a resource's readings go with it) */
  adrDelete(kind: AdrKind, id: string): Promise<AdrRecord | undefined>;
  /** stores readings; one of the same resource, type and interval start replaces what was there */
  adrPutReadings(readings: readonly AdrReading[]): Promise<void>;
  /** a resource's readings by interval start, then type */
  adrReadings(filter: {
    resourceId: string;
    type?: AdrReading['type'];
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<AdrReading[]>;

  /** stores a device; an id already stored (revoked or not) is a StoreError with code CONFLICT */
  addDevice(device: DeviceRecord): Promise<void>;
  /** every device, revoked ones too, in the order they were registered */
  devices(): Promise<DeviceRecord[]>;
  /** marks a device revoked (the first time counts); false if unknown */
  revokeDevice(id: string, atMs: number): Promise<boolean>;

  close(): Promise<void>;
}
