import { z } from 'zod';
import { ApiError } from '../errors.js';
import { type Route, route } from '../http/route.js';
import type { AdrRecord } from '../store/index.js';
import { MQTT_TOPIC_ROUTES } from './mqtt-routes.js';
import { keepReadings, readingsOf, resourcesOf } from './report-readings.js';
import * as s from './schemas.js';
import { adrCaller, present, Vtn } from './vtn.js';

/** Where the VTN answers: its paths are the spec's under this prefix. */
export const OPENADR_PREFIX = '/openadr3';

const P = OPENADR_PREFIX;
const TAG = 'openadr3';
const list = (item: z.ZodType) => z.array(item);
const byId = (name: string) => z.object({ [name]: s.objectID });

/** The fields an object is selected by, from what was written. */
const programFields = (b: z.output<typeof s.programRequest>) => ({
  name: b.programName,
  targets: b.targets,
  body: { ...b },
});

const eventFields = (b: z.output<typeof s.eventRequest>) => ({
  ...(b.eventName ? { name: b.eventName } : {}),
  programId: b.programID,
  targets: b.targets,
  body: { ...b },
});

/**
 * The OpenADR 3.1 VTN's routes: programs, events, reports, subscriptions, vens and resources as
 * openadr3.yaml defines them (paths, query parameters, status codes, scopes), plus the spec's
 * /auth/server and /notifiers. Each names the scope the spec's security section asks for.
 */
export const OPENADR_ROUTES: readonly Route[] = [
  // programs
  route({
    method: 'GET',
    path: `${P}/programs`,
    scope: 'read_targets',
    tag: TAG,
    summary: 'OpenADR: searches all programs (a VEN sees the untargeted ones and those targeted at it)',
    query: s.programsQuery,
    response: list(s.program),
    handler: ({ caller, query, deps }) => deps.vtn.listTargeted('PROGRAM', adrCaller(caller), query),
  }),
  route({
    method: 'POST',
    path: `${P}/programs`,
    scope: 'write_programs',
    tag: TAG,
    summary: 'OpenADR: creates a program (programName is unique)',
    body: s.programRequest,
    response: s.program,
    status: 201,
    handler: ({ body, deps }) => deps.vtn.save('PROGRAM', programFields(body)),
  }),
  route({
    method: 'GET',
    path: `${P}/programs/{programID}`,
    scope: 'read_targets',
    tag: TAG,
    summary: 'OpenADR: one program',
    params: byId('programID'),
    response: s.program,
    handler: ({ caller, params, deps }) =>
      deps.vtn.getTargeted('PROGRAM', adrCaller(caller), params.programID as string),
  }),
  route({
    method: 'PUT',
    path: `${P}/programs/{programID}`,
    scope: 'write_programs',
    tag: TAG,
    summary: 'OpenADR: updates a program',
    params: byId('programID'),
    body: s.programRequest,
    response: s.program,
    handler: async ({ params, body, deps }) => {
      const before = await deps.vtn.owned(
        'PROGRAM',
        { clientId: '', bl: true },
        params.programID as string,
        'programID',
      );
      return deps.vtn.save('PROGRAM', programFields(body), before);
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/programs/{programID}`,
    scope: 'write_programs',
    tag: TAG,
    summary: 'OpenADR: deletes a program and its events',
    params: byId('programID'),
    response: s.program,
    handler: async ({ params, deps }) => {
      const id = params.programID as string;
      const gone = await deps.vtn.remove('PROGRAM', id, 'programID');
      for (;;) {
        const events = await deps.repo.adrList({ kind: 'EVENT', programId: id, limit: 1000 });
        if (events.length === 0) break;
        for (const e of events) await deps.vtn.remove('EVENT', e.id, 'eventID');
      }
      return gone;
    },
  }),
  // events
  route({
    method: 'GET',
    path: `${P}/events`,
    scope: 'read_targets',
    tag: TAG,
    summary: 'OpenADR: searches all events (a VEN sees the untargeted ones and those targeted at it)',
    query: s.eventsQuery,
    response: list(s.event),
    handler: ({ caller, query, deps }) => deps.vtn.listTargeted('EVENT', adrCaller(caller), query),
  }),
  route({
    method: 'POST',
    path: `${P}/events`,
    scope: 'write_events',
    tag: TAG,
    summary: 'OpenADR: creates an event of an existing program',
    body: s.eventRequest,
    response: s.event,
    status: 201,
    handler: async ({ body, deps }) => {
      await deps.vtn.program(body.programID);
      return deps.vtn.save('EVENT', eventFields(body));
    },
  }),
  route({
    method: 'GET',
    path: `${P}/events/{eventID}`,
    scope: 'read_targets',
    tag: TAG,
    summary: 'OpenADR: one event',
    params: byId('eventID'),
    response: s.event,
    handler: ({ caller, params, deps }) =>
      deps.vtn.getTargeted('EVENT', adrCaller(caller), params.eventID as string),
  }),
  route({
    method: 'PUT',
    path: `${P}/events/{eventID}`,
    scope: 'write_events',
    tag: TAG,
    summary: 'OpenADR: updates an event',
    params: byId('eventID'),
    body: s.eventRequest,
    response: s.event,
    handler: async ({ params, body, deps }) => {
      const before = await deps.vtn.owned(
        'EVENT',
        { clientId: '', bl: true },
        params.eventID as string,
        'eventID',
      );
      await deps.vtn.program(body.programID);
      return deps.vtn.save('EVENT', eventFields(body), before);
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/events/{eventID}`,
    scope: 'write_events',
    tag: TAG,
    summary: 'OpenADR: deletes an event (which cancels it)',
    params: byId('eventID'),
    response: s.event,
    handler: ({ params, deps }) => deps.vtn.remove('EVENT', params.eventID as string, 'eventID'),
  }),
  // reports
  route({
    method: 'GET',
    path: `${P}/reports`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: "OpenADR: searches reports (a VEN's own; BL's every one)",
    query: s.reportsQuery,
    response: list(s.report),
    handler: ({ caller, query, deps }) =>
      deps.vtn
        .listOwned('REPORT', adrCaller(caller), {
          programId: query.programID,
          eventId: query.eventID,
          name: undefined,
          skip: query.skip,
          limit: query.limit,
        })
        .then((rows) =>
          rows.filter((r) => query.clientName === undefined || r.clientName === query.clientName),
        ),
  }),
  route({
    method: 'POST',
    path: `${P}/reports`,
    scope: 'write_reports',
    tag: TAG,
    summary:
      "OpenADR: a VEN's report on an event it can see; its USAGE and BASELINE become its resources' readings (/v1/openadr/resources/{resourceID}/readings)",
    body: s.reportRequest,
    response: s.report,
    status: 201,
    handler: async ({ caller, body, deps }) => {
      const event = await deps.vtn.event(body.eventID);
      if ((await deps.vtn.visibleTo(caller.clientId, event)) === undefined)
        throw Vtn.conflict('eventID', `no event ${body.eventID}`);
      const own = await resourcesOf(deps.vtn, caller.clientId);
      const readings = readingsOf(body, event, own, caller.clientId);
      const saved = await deps.vtn.save('REPORT', reportFields(caller.clientId, body, event));
      await keepReadings(deps.vtn, saved.id, readings);
      return saved;
    },
  }),
  route({
    method: 'GET',
    path: `${P}/reports/{reportID}`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: 'OpenADR: one report',
    params: byId('reportID'),
    response: s.report,
    handler: async ({ caller, params, deps }) =>
      present(await deps.vtn.owned('REPORT', adrCaller(caller), params.reportID as string, 'reportID')),
  }),
  route({
    method: 'PUT',
    path: `${P}/reports/{reportID}`,
    scope: 'write_reports',
    tag: TAG,
    summary: 'OpenADR: updates one of your reports',
    params: byId('reportID'),
    body: s.reportRequest,
    response: s.report,
    handler: async ({ caller, params, body, deps }) => {
      const before = await deps.vtn.owned('REPORT', adrCaller(caller), params.reportID as string, 'reportID');
      const event = await deps.vtn.event(body.eventID);
      const owner = before.clientId ?? caller.clientId;
      const readings = readingsOf(body, event, await resourcesOf(deps.vtn, owner), owner);
      const saved = await deps.vtn.save('REPORT', reportFields(owner, body, event), before);
      await keepReadings(deps.vtn, saved.id, readings);
      return saved;
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/reports/{reportID}`,
    scope: 'write_reports',
    tag: TAG,
    summary: 'OpenADR: deletes one of your reports',
    params: byId('reportID'),
    response: s.report,
    handler: async ({ caller, params, deps }) => {
      const r = await deps.vtn.owned('REPORT', adrCaller(caller), params.reportID as string, 'reportID');
      return deps.vtn.remove('REPORT', r.id, 'reportID');
    },
  }),
  // subscriptions
  route({
    method: 'GET',
    path: `${P}/subscriptions`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: "OpenADR: searches subscriptions (a VEN's own; BL's every one)",
    query: s.subscriptionsQuery,
    response: list(s.subscription),
    handler: async ({ caller, query, deps }) => {
      const all = await deps.vtn.listOwned('SUBSCRIPTION', adrCaller(caller), {
        programId: query.programID,
        name: query.clientName,
        ...(query.objects === undefined ? { skip: query.skip, limit: query.limit } : { limit: 1000 }),
      });
      if (query.objects === undefined) return all;
      const wanted = new Set(query.objects);
      const skip = query.skip ?? 0;
      return all
        .filter((x) =>
          (x.objectOperations as { objects: string[] }[]).some((o) =>
            o.objects.some((k) => wanted.has(k as never)),
          ),
        )
        .slice(skip, skip + (query.limit ?? 50));
    },
  }),
  route({
    method: 'POST',
    path: `${P}/subscriptions`,
    scope: 'write_subscriptions',
    tag: TAG,
    summary: 'OpenADR: subscribes a webhook (callbackUrl) to operations on objects',
    body: s.subscriptionRequest,
    response: s.subscription,
    status: 201,
    handler: async ({ caller, body, deps }) => {
      if (body.programID !== undefined) await deps.vtn.program(body.programID);
      return deps.vtn.save('SUBSCRIPTION', subscriptionFields(caller.clientId, body));
    },
  }),
  route({
    method: 'GET',
    path: `${P}/subscriptions/{subscriptionID}`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: 'OpenADR: one subscription',
    params: byId('subscriptionID'),
    response: s.subscription,
    handler: async ({ caller, params, deps }) =>
      present(
        await deps.vtn.owned(
          'SUBSCRIPTION',
          adrCaller(caller),
          params.subscriptionID as string,
          'subscriptionID',
        ),
      ),
  }),
  route({
    method: 'PUT',
    path: `${P}/subscriptions/{subscriptionID}`,
    scope: 'write_subscriptions',
    tag: TAG,
    summary: 'OpenADR: updates one of your subscriptions',
    params: byId('subscriptionID'),
    body: s.subscriptionRequest,
    response: s.subscription,
    handler: async ({ caller, params, body, deps }) => {
      const before = await deps.vtn.owned(
        'SUBSCRIPTION',
        adrCaller(caller),
        params.subscriptionID as string,
        'subscriptionID',
      );
      if (body.programID !== undefined) await deps.vtn.program(body.programID);
      return deps.vtn.save(
        'SUBSCRIPTION',
        subscriptionFields(before.clientId ?? caller.clientId, body),
        before,
      );
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/subscriptions/{subscriptionID}`,
    scope: 'write_subscriptions',
    tag: TAG,
    summary: 'OpenADR: deletes one of your subscriptions',
    params: byId('subscriptionID'),
    response: s.subscription,
    handler: async ({ caller, params, deps }) => {
      const r = await deps.vtn.owned(
        'SUBSCRIPTION',
        adrCaller(caller),
        params.subscriptionID as string,
        'subscriptionID',
      );
      return deps.vtn.remove('SUBSCRIPTION', r.id, 'subscriptionID');
    },
  }),
  // vens
  route({
    method: 'GET',
    path: `${P}/vens`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: "OpenADR: searches vens (a VEN's own; BL's every one)",
    query: s.vensQuery,
    response: list(s.ven),
    handler: ({ caller, query, deps }) =>
      deps.vtn.listOwned('VEN', adrCaller(caller), {
        name: query.venName,
        ...(query.targets !== undefined ? { targets: query.targets } : {}),
        skip: query.skip,
        limit: query.limit,
      }),
  }),
  route({
    method: 'POST',
    path: `${P}/vens`,
    scope: 'write_vens',
    tag: TAG,
    summary:
      'OpenADR: creates a ven (BL names its clientID and grants it targets; a VEN creates its own, without targets)',
    body: s.venRequest,
    response: s.ven,
    status: 201,
    handler: async ({ caller, body, deps }) => deps.vtn.save('VEN', venFields(caller, body)),
  }),
  route({
    method: 'GET',
    path: `${P}/vens/{venID}`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: 'OpenADR: one ven',
    params: byId('venID'),
    response: s.ven,
    handler: async ({ caller, params, deps }) =>
      present(await deps.vtn.owned('VEN', adrCaller(caller), params.venID as string, 'venID')),
  }),
  route({
    method: 'PUT',
    path: `${P}/vens/{venID}`,
    scope: 'write_vens',
    tag: TAG,
    summary: 'OpenADR: updates a ven (a VEN its own, keeping the targets BL granted)',
    params: byId('venID'),
    body: s.venRequest,
    response: s.ven,
    handler: async ({ caller, params, body, deps }) => {
      const before = await deps.vtn.owned('VEN', adrCaller(caller), params.venID as string, 'venID');
      return deps.vtn.save('VEN', venFields(caller, body, before), before);
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/vens/{venID}`,
    scope: 'write_vens',
    tag: TAG,
    summary: 'OpenADR: deletes a ven and its resources',
    params: byId('venID'),
    response: s.ven,
    handler: async ({ caller, params, deps }) => {
      const v = await deps.vtn.owned('VEN', adrCaller(caller), params.venID as string, 'venID');
      for (const r of await deps.repo.adrList({ kind: 'RESOURCE', venId: v.id }))
        await deps.vtn.remove('RESOURCE', r.id, 'resourceID');
      return deps.vtn.remove('VEN', v.id, 'venID');
    },
  }),
  // resources
  route({
    method: 'GET',
    path: `${P}/resources`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: "OpenADR: searches resources (a VEN's own; BL's every one)",
    query: s.resourcesQuery,
    response: list(s.resource),
    handler: ({ caller, query, deps }) =>
      deps.vtn.listOwned('RESOURCE', adrCaller(caller), {
        name: query.resourceName,
        venId: query.venID,
        ...(query.targets !== undefined ? { targets: query.targets } : {}),
        skip: query.skip,
        limit: query.limit,
      }),
  }),
  route({
    method: 'POST',
    path: `${P}/resources`,
    scope: 'write_vens',
    tag: TAG,
    summary:
      'OpenADR: creates a resource of a ven; attributes BUS (the feeder bus) and PHASES (1, 2, 3) place it on the grid for its PRICE events',
    body: s.resourceRequest,
    response: s.resource,
    status: 201,
    handler: async ({ caller, body, deps }) => {
      const ven = await deps.vtn.owned('VEN', adrCaller(caller), body.venID, 'venID');
      return deps.vtn.save('RESOURCE', resourceFields(caller, body, ven));
    },
  }),
  route({
    method: 'GET',
    path: `${P}/resources/{resourceID}`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: 'OpenADR: one resource',
    params: byId('resourceID'),
    response: s.resource,
    handler: async ({ caller, params, deps }) =>
      present(await deps.vtn.owned('RESOURCE', adrCaller(caller), params.resourceID as string, 'resourceID')),
  }),
  route({
    method: 'PUT',
    path: `${P}/resources/{resourceID}`,
    scope: 'write_vens',
    tag: TAG,
    summary: 'OpenADR: updates a resource (a VEN its own, keeping the targets BL granted)',
    params: byId('resourceID'),
    body: s.resourceRequest,
    response: s.resource,
    handler: async ({ caller, params, body, deps }) => {
      const before = await deps.vtn.owned(
        'RESOURCE',
        adrCaller(caller),
        params.resourceID as string,
        'resourceID',
      );
      const ven = await deps.vtn.owned('VEN', adrCaller(caller), body.venID, 'venID');
      return deps.vtn.save('RESOURCE', resourceFields(caller, body, ven, before), before);
    },
  }),
  route({
    method: 'DELETE',
    path: `${P}/resources/{resourceID}`,
    scope: 'write_vens',
    tag: TAG,
    summary: 'OpenADR: deletes a resource',
    params: byId('resourceID'),
    response: s.resource,
    handler: async ({ caller, params, deps }) => {
      const r = await deps.vtn.owned(
        'RESOURCE',
        adrCaller(caller),
        params.resourceID as string,
        'resourceID',
      );
      return deps.vtn.remove('RESOURCE', r.id, 'resourceID');
    },
  }),
  route({
    method: 'GET',
    path: `${P}/notifiers`,
    scope: 'read_all',
    tag: TAG,
    summary: 'OpenADR: the notifier bindings: webhooks (subscriptions), and MQTT when the VTN has a broker',
    response: s.notifiersResponse,
    handler: ({ deps }) => ({
      WEBHOOK: true,
      ...(deps.vtn.mqtt !== undefined ? { MQTT: deps.vtn.mqtt.binding() } : {}),
    }),
  }),
  ...MQTT_TOPIC_ROUTES,
];

function reportFields(clientId: string, b: z.output<typeof s.reportRequest>, event: AdrRecord) {
  return {
    clientId,
    ...(b.reportName ? { name: b.reportName } : {}),
    eventId: b.eventID,
    ...(event.programId !== undefined ? { programId: event.programId } : {}),
    body: { ...b, clientID: clientId },
  };
}

function subscriptionFields(clientId: string, b: z.output<typeof s.subscriptionRequest>) {
  return {
    clientId,
    name: b.clientName,
    ...(b.programID !== undefined ? { programId: b.programID } : {}),
    targets: b.targets,
    body: { ...b, clientID: clientId },
  };
}

type Who = { clientId: string; scopes: ReadonlySet<string> };

function venFields(caller: Who, b: z.output<typeof s.venRequest>, before?: AdrRecord) {
  const who = adrCaller(caller as never);
  if (b.objectType === 'BL_VEN_REQUEST') Vtn.noTargets(who, b.targets);
  if (who.bl && b.objectType !== 'BL_VEN_REQUEST')
    throw new ApiError(
      400,
      'Bad Request',
      'objectType: BL creates a ven with BL_VEN_REQUEST, naming its clientID',
      {
        field: 'objectType',
        details: { code: 'INVALID_REQUEST' },
      },
    );
  const clientId =
    b.objectType === 'BL_VEN_REQUEST' && who.bl ? b.clientID : (before?.clientId ?? caller.clientId);
  // a VEN's own update keeps what BL granted
  const targets = who.bl && b.objectType === 'BL_VEN_REQUEST' ? (b.targets ?? []) : (before?.targets ?? []);
  return {
    clientId,
    name: b.venName,
    targets,
    body: {
      clientID: clientId,
      venName: b.venName,
      targets: [...targets],
      ...(b.attributes != null ? { attributes: b.attributes } : {}),
    },
  };
}

function resourceFields(
  caller: Who,
  b: z.output<typeof s.resourceRequest>,
  ven: AdrRecord,
  before?: AdrRecord,
) {
  const who = adrCaller(caller as never);
  if (b.objectType === 'BL_RESOURCE_REQUEST') Vtn.noTargets(who, b.targets);
  const clientId = ven.clientId ?? caller.clientId;
  if (b.objectType === 'BL_RESOURCE_REQUEST' && who.bl && b.clientID !== clientId)
    throw Vtn.conflict('clientID', `ven ${ven.id} belongs to client ${clientId}, not ${b.clientID}`);
  const targets =
    who.bl && b.objectType === 'BL_RESOURCE_REQUEST' ? (b.targets ?? []) : (before?.targets ?? []);
  return {
    clientId,
    name: b.resourceName,
    venId: ven.id,
    targets,
    body: {
      clientID: clientId,
      resourceName: b.resourceName,
      venID: ven.id,
      targets: [...targets],
      ...(b.attributes != null ? { attributes: b.attributes } : {}),
    },
  };
}
