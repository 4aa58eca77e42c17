export type { Db, Queryable } from './db.js';
export { lineOf } from './event-lines.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { openRepository, type StoreLocation } from './open.js';
export {
  ADR_KINDS,
  type AdrFilter,
  type AdrKind,
  type AdrReading,
  type AdrRecord,
  type ClientRecord,
  type DeviceRecord,
  type EventFilter,
  type MeterReading,
  type Repository,
  ROLES,
  type Role,
  type StoredReading,
} from './repository.js';
export { SqlEventLog } from './sql-event-log.js';
