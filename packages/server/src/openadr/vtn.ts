import { randomBytes } from 'node:crypto';
import { type Caller, ROLE_SCOPES } from '../auth/index.js';
import { ApiError, StoreError } from '../errors.js';
import type { AdrFilter, AdrKind, AdrRecord, Repository } from '../store/index.js';
import { endOfEvent } from './duration.js';
import type { MqttNotifier } from './mqtt-notifier.js';
import type { Operation } from './schemas.js';

/** An object as the API returns it. */
export type AdrObject = Record<string, unknown> & { id: string; objectType: AdrKind };

/** Who is asking, as far as OpenADR cares: BL (read_all) sees everything, a VEN its own and what is targeted at it. */
export interface AdrCaller {
  clientId: string;
  bl: boolean;
}

export const adrCaller = (c: Caller): AdrCaller => ({ clientId: c.clientId, bl: c.scopes.has('read_all') });

/** What the VTN tells when an object changes (the webhook notifier). */
export interface AdrListener {
  changed(operation: Operation, record: AdrRecord): void;
}

export const SPEC_PAGE = 50;

const iso = (t: number) => new Date(t).toISOString();
const newId = (kind: AdrKind) => `${kind.slice(0, 3).toLowerCase()}_${randomBytes(9).toString('base64url')}`;
const notFound = (kind: AdrKind, id: string, field: string) =>
  new ApiError(404, 'Not Found', `${field}: no ${kind.toLowerCase()} ${id}`, {
    field,
    details: { code: 'NOT_FOUND' },
  });
const conflict = (field: string, message: string) =>
  new ApiError(409, 'Conflict', `${field}: ${message}`, { field, details: { code: 'CONFLICT' } });
const forbidden = (field: string, message: string) =>
  new ApiError(403, 'Forbidden', `${field}: ${message}`, { field, details: { code: 'FORBIDDEN' } });

/** The object as the API shows it: metadata first, then what was written. */
export function present(r: AdrRecord): AdrObject {
  return {
    id: r.id,
    createdDateTime: iso(r.createdMs),
    modificationDateTime: iso(r.modifiedMs),
    objectType: r.kind,
    ...r.body,
  };
}

/**
 * The VTN's objects and who may see and change them, as the spec's Object Privacy section lays
 * out: BL reads and writes everything; a VEN reads the reports, subscriptions, vens and
 * resources carrying its clientID, and the programs and events that are untargeted or carry a
 * target granted to it (by its ven object, that ven's resources, or its own venName, which the
 * VTN always grants so that it can address one VEN privately). A VEN sees only the targets it was
 * granted (target hiding).
 */
export class Vtn {
  private readonly listeners: AdrListener[] = [];
  /** the MQTT notifier, when the VTN has a broker (GET /notifiers and the topic routes tell of it) */
  mqtt: MqttNotifier | undefined;

  constructor(
    readonly repo: Repository,
    /** the clock objects are stamped with: the engine's, so a scenario's day reads coherently */
    readonly now: () => number,
  ) {}

  listen(l: AdrListener): void {
    this.listeners.push(l);
  }

  private tell(op: Operation, r: AdrRecord): void {
    for (const l of this.listeners) l.changed(op, r);
  }

  /** The targets granted to a client: its vens' targets and names and their resources' targets. */
  async grantedTargets(clientId: string): Promise<Set<string>> {
    const granted = new Set<string>();
    for (const v of await this.repo.adrList({ kind: 'VEN', clientId })) {
      if (v.name !== undefined) granted.add(v.name);
      for (const t of v.targets) granted.add(t);
      for (const r of await this.repo.adrList({ kind: 'RESOURCE', venId: v.id }))
        for (const t of r.targets) granted.add(t);
    }
    return granted;
  }

  /** Whether a client may see an object, and with which of its targets (for the notifier). */
  async visibleTo(clientId: string, r: AdrRecord): Promise<AdrObject | undefined> {
    const client = await this.repo.client(clientId);
    if (client === undefined || client.revokedMs !== undefined) return undefined;
    const bl = ROLE_SCOPES[client.role].includes('read_all');
    if (bl) return present(r);
    if (r.kind === 'PROGRAM' || r.kind === 'EVENT') {
      if (r.targets.length === 0) return present(r);
      const granted = await this.grantedTargets(clientId);
      const shown = r.targets.filter((t) => granted.has(t));
      return shown.length === 0 ? undefined : { ...present(r), targets: shown };
    }
    return r.clientId === clientId ? present(r) : undefined;
  }

  /** Programs or events, filtered by targets as the caller may see them. */
  async listTargeted(
    kind: 'PROGRAM' | 'EVENT',
    caller: AdrCaller,
    query: { targets?: string[]; skip?: number; limit?: number; programID?: string; active?: boolean },
  ): Promise<AdrObject[]> {
    const page = { skip: query.skip ?? 0, limit: query.limit ?? SPEC_PAGE };
    const base: AdrFilter = {
      kind,
      ...page,
      ...(query.programID !== undefined ? { programId: query.programID } : {}),
      ...(query.active ? { activeAtMs: this.now() } : {}),
    };
    if (caller.bl) {
      const rows = await this.repo.adrList({
        ...base,
        ...(query.targets !== undefined ? { targets: query.targets } : {}),
      });
      return rows.map(present);
    }
    const granted = await this.grantedTargets(caller.clientId);
    const effective =
      query.targets === undefined ? [...granted] : query.targets.filter((t) => granted.has(t));
    if (query.targets !== undefined && effective.length === 0) return [];
    const rows = await this.repo.adrList({
      ...base,
      targets: effective,
      orUntargeted: query.targets === undefined,
    });
    const shown = new Set(effective);
    return rows.map((r) => ({ ...present(r), targets: r.targets.filter((t) => shown.has(t)) }));
  }

  async getTargeted(kind: 'PROGRAM' | 'EVENT', caller: AdrCaller, id: string): Promise<AdrObject> {
    const r = await this.repo.adrGet(kind, id);
    const field = kind === 'PROGRAM' ? 'programID' : 'eventID';
    if (r === undefined) throw notFound(kind, id, field);
    const seen = await this.visibleTo(caller.clientId, r);
    if (seen === undefined) throw notFound(kind, id, field);
    return seen;
  }

  /** Reports, subscriptions, vens or resources: a VEN's own, or for BL every one. */
  async listOwned(kind: AdrKind, caller: AdrCaller, filter: Omit<AdrFilter, 'kind' | 'clientId'>) {
    const rows = await this.repo.adrList({
      kind,
      ...filter,
      skip: filter.skip ?? 0,
      limit: filter.limit ?? SPEC_PAGE,
      ...(caller.bl ? {} : { clientId: caller.clientId }),
    });
    return rows.map(present);
  }

  /** One of the caller's objects (BL: any); another VEN's is not shown to exist. */
  async owned(kind: AdrKind, caller: AdrCaller, id: string, field: string): Promise<AdrRecord> {
    const r = await this.repo.adrGet(kind, id);
    if (r === undefined || (!caller.bl && r.clientId !== caller.clientId)) throw notFound(kind, id, field);
    return r;
  }

  /** Stores a new object, or replaces one keeping its id and creation time. */
  async save(
    kind: AdrKind,
    fields: Omit<AdrRecord, 'id' | 'kind' | 'createdMs' | 'modifiedMs' | 'targets'> & {
      targets?: readonly string[] | null;
    },
    before?: AdrRecord,
  ): Promise<AdrObject> {
    const t = this.now();
    const record: AdrRecord = {
      ...fields,
      id: before?.id ?? newId(kind),
      kind,
      targets: fields.targets ?? [],
      createdMs: before?.createdMs ?? t,
      modifiedMs: t,
    };
    if (kind === 'EVENT') {
      const end = endOfEvent(record.body);
      if (end !== undefined) record.endsMs = end;
    }
    try {
      if (before === undefined) await this.repo.adrInsert(record);
      else if (!(await this.repo.adrUpdate(record))) throw notFound(kind, record.id, 'id');
    } catch (e) {
      if (e instanceof StoreError && e.details.code === 'CONFLICT') throw conflict('name', e.message);
      throw e;
    }
    this.tell(before === undefined ? 'CREATE' : 'UPDATE', record);
    return present(record);
  }

  async remove(kind: AdrKind, id: string, field: string): Promise<AdrObject> {
    const r = await this.repo.adrDelete(kind, id);
    if (r === undefined) throw notFound(kind, id, field);
    this.tell('DELETE', r);
    return present(r);
  }

  /** The program an event or subscription names, which must exist (409: a reference that does not resolve). */
  async program(id: string): Promise<AdrRecord> {
    const p = await this.repo.adrGet('PROGRAM', id);
    if (p === undefined) throw conflict('programID', `no program ${id}`);
    return p;
  }

  async event(id: string): Promise<AdrRecord> {
    const e = await this.repo.adrGet('EVENT', id);
    if (e === undefined) throw conflict('eventID', `no event ${id}`);
    return e;
  }

  /** A VEN may not write targets: they are what BL grants. */
  static noTargets(caller: AdrCaller, targets: readonly string[] | null | undefined): void {
    if (!caller.bl && targets !== undefined && targets !== null && targets.length > 0)
      throw forbidden('targets', 'only BL writes targets to ven and resource objects (they grant access)');
  }

  static forbidden = forbidden;
  static conflict = conflict;
  static notFound = notFound;
}
