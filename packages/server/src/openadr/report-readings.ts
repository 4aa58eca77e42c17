import type { z } from 'zod';
import { ApiError } from '../errors.js';
import type { AdrReading, AdrRecord } from '../store/index.js';
import { durationMs } from './duration.js';
import type { reportRequest } from './schemas.js';
import { Vtn } from './vtn.js';

/** The report payloads the platform keeps as what it knows of a resource. */
export const KEPT_PAYLOADS: readonly string[] = ['USAGE', 'BASELINE'];

/** The spec's resourceName for a report on no single resource: kept as a report, not as readings. */
export const AGGREGATED_REPORT = 'AGGREGATED_REPORT';

const HOUR_MS = 3_600_000;

type Period = { start?: string | undefined; duration?: string | undefined };
export type Reading = Omit<AdrReading, 'reportId' | 'receivedMs'>;

const invalid = (field: string, message: string) =>
  new ApiError(400, 'Bad Request', `${field}: ${message}`, { field, details: { code: 'INVALID_REQUEST' } });

/** The units each kept payload is reported in (KWH when no descriptor says): KWH or KW, nothing else. */
function unitsOf(report: z.output<typeof reportRequest>): Map<string, 'KWH' | 'KW'> {
  const units = new Map<string, 'KWH' | 'KW'>();
  (report.payloadDescriptors ?? []).forEach((d, i) => {
    if (!KEPT_PAYLOADS.includes(d.payloadType)) return;
    const u = (d.units ?? 'KWH').toUpperCase();
    if (u !== 'KWH' && u !== 'KW')
      throw invalid(`payloadDescriptors[${i}].units`, `${d.payloadType} in ${u}: the VTN keeps KWH or KW`);
    units.set(d.payloadType, u);
  });
  return units;
}

/**
 * When one reported interval starts and how long it lasts: its own intervalPeriod, else the
 * resource's, else the event's; an interval without its own start follows the base start by its
 * id times the duration (the spec's intervals of one period run one after another).
 */
function periodOf(
  own: Period | undefined,
  resource: Period | undefined,
  event: Period,
  id: number,
  at: string,
): { startMs: number; durationMs: number } {
  const duration = own?.duration ?? resource?.duration ?? event.duration;
  if (duration === undefined)
    throw invalid(
      `${at}.intervalPeriod.duration`,
      'no duration: give the interval, its resource or the event one',
    );
  const ms = durationMs(duration);
  if (!(ms > 0) || !Number.isFinite(ms))
    throw invalid(`${at}.intervalPeriod.duration`, `${duration}: a reading lasts a finite, positive time`);
  if (own?.start !== undefined) return { startMs: Date.parse(own.start), durationMs: ms };
  const base = resource?.start ?? event.start;
  if (base === undefined || base.startsWith('0001-01-01'))
    throw invalid(`${at}.intervalPeriod.start`, 'no start: give the interval, its resource or the event one');
  return { startMs: Date.parse(base) + id * ms, durationMs: ms };
}

/**
 * The USAGE and BASELINE intervals of a VEN's report, as readings of its own resources in kWh.
 * A resource that is not one of the VEN's is a 409 naming `resources[i].resourceName` (another
 * VEN's resource answers as one that does not exist); a payload that is not one number, units the
 * VTN does not keep, or an interval that cannot be placed in time is a 400 naming the field.
 */
export function readingsOf(
  report: z.output<typeof reportRequest>,
  event: AdrRecord,
  own: ReadonlyMap<string, AdrRecord>,
  clientId: string,
): Reading[] {
  const units = unitsOf(report);
  const eventPeriod = (event.body.intervalPeriod ?? {}) as Period;
  const out: Reading[] = [];
  report.resources.forEach((r, ri) => {
    const at = `resources[${ri}]`;
    const kept = r.intervals.some((iv) => iv.payloads.some((p) => KEPT_PAYLOADS.includes(p.type)));
    if (!kept || r.resourceName === AGGREGATED_REPORT) return;
    const resource = own.get(r.resourceName);
    if (resource === undefined)
      throw Vtn.conflict(`${at}.resourceName`, `no resource ${r.resourceName} of your vens`);
    r.intervals.forEach((iv, ii) => {
      const where = `${at}.intervals[${ii}]`;
      iv.payloads.forEach((p, pi) => {
        if (!KEPT_PAYLOADS.includes(p.type)) return;
        const [value] = p.values;
        if (p.values.length !== 1 || typeof value !== 'number' || !Number.isFinite(value))
          throw invalid(`${where}.payloads[${pi}].values`, `${p.type} takes one number`);
        const period = periodOf(iv.intervalPeriod, r.intervalPeriod, eventPeriod, iv.id, where);
        if (Number.isNaN(period.startMs)) throw invalid(`${where}.intervalPeriod.start`, 'not a date-time');
        const perHour = units.get(p.type) === 'KW' ? period.durationMs / HOUR_MS : 1;
        out.push({
          resourceId: resource.id,
          type: p.type as AdrReading['type'],
          intervalStartMs: period.startMs,
          durationMs: period.durationMs,
          kwh: value * perHour,
          clientId,
        });
      });
    });
  });
  return out;
}

/** A client's resources by name (over all its vens; the first of a name wins). */
export async function resourcesOf(vtn: Vtn, clientId: string): Promise<Map<string, AdrRecord>> {
  const out = new Map<string, AdrRecord>();
  for (let skip = 0; ; skip += 1000) {
    const rows = await vtn.repo.adrList({ kind: 'RESOURCE', clientId, skip, limit: 1000 });
    for (const r of rows) if (r.name !== undefined && !out.has(r.name)) out.set(r.name, r);
    if (rows.length < 1000) return out;
  }
}

/** Keeps a saved report's readings, stamped with the VTN's clock. */
export function keepReadings(vtn: Vtn, reportId: string, readings: readonly Reading[]): Promise<void> {
  const receivedMs = vtn.now();
  return vtn.repo.adrPutReadings(readings.map((r) => ({ ...r, reportId, receivedMs })));
}
