import { z } from 'zod';
import { type Route, route } from '../http/route.js';
import * as s from './schemas.js';
import { adrCaller } from './vtn.js';

const iso = (t: number) => new Date(t).toISOString();

const readingsQuery = z.object({
  type: z.enum(['USAGE', 'BASELINE']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const readingsResponse = z.object({
  resourceID: s.objectID,
  resourceName: z.string(),
  readings: z.array(
    z.object({
      type: z.enum(['USAGE', 'BASELINE']),
      intervalStart: z.string(),
      intervalMinutes: z.number(),
      kwh: z.number(),
      reportID: z.string(),
      received: z.string(),
    }),
  ),
});

/**
 * What the VTN knows of a resource from its VEN's reports, beside the spec's routes (the spec has
 * no path for it): the USAGE and BASELINE intervals in kWh, the latest report of an interval
 * replacing earlier ones. The owner reads its own resources' (another VEN's answers 404); BL
 * (admin, dso) and the auditor read every one.
 */
export const RESOURCE_READING_ROUTES: readonly Route[] = [
  route({
    method: 'GET',
    path: '/v1/openadr/resources/{resourceID}/readings',
    scope: 'read_ven_objects',
    tag: 'openadr3',
    summary: "OpenADR: a resource's USAGE and BASELINE as its VEN reported them, kWh per interval",
    params: z.object({ resourceID: s.objectID }),
    query: readingsQuery,
    response: readingsResponse,
    handler: async ({ caller, params, query, deps }) => {
      const resource = await deps.vtn.owned(
        'RESOURCE',
        adrCaller(caller),
        params.resourceID as string,
        'resourceID',
      );
      const rows = await deps.repo.adrReadings({
        resourceId: resource.id,
        type: query.type,
        fromMs: query.from === undefined ? undefined : Date.parse(query.from),
        toMs: query.to === undefined ? undefined : Date.parse(query.to),
        limit: query.limit,
      });
      return {
        resourceID: resource.id,
        resourceName: resource.name ?? '',
        readings: rows.map((r) => ({
          type: r.type,
          intervalStart: iso(r.intervalStartMs),
          intervalMinutes: r.durationMs / 60_000,
          kwh: r.kwh,
          reportID: r.reportId,
          received: iso(r.receivedMs),
        })),
      };
    },
  }),
];
