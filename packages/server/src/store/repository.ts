import type { EngineEvent } from '@gridtier/core/engine';

export const ROLES = ['admin', 'dso', 'aggregator', 'prosumer', 'device', 'oracle', 'auditor'] as const;
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

  close(): Promise<void>;
}
