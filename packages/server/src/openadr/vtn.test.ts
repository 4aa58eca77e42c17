import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_SCOPES } from '../auth/index.js';
import { testServer } from '../http/test-support.js';
import type { RunningServer } from '../server.js';
import { ROLES } from '../store/index.js';
import { RESOURCE_READING_ROUTES } from './resource-readings.js';
import { OPENADR_ROUTES } from './routes.js';
import { OpenAdrSpec, SPEC_PATH, VtnClient } from './test-support.js';

const spec = OpenAdrSpec.load();
if (!spec) console.warn(`skipping the OpenADR conformance tests: no spec at ${SPEC_PATH}`);

type Obj = Record<string, unknown> & { id: string };

describe.skipIf(!spec)('the OpenADR 3.1 VTN under /openadr3', () => {
  let server: RunningServer;
  let bl: VtnClient;
  let ven1: VtnClient;
  let ven2: VtnClient;
  const clients: VtnClient[] = [];

  beforeAll(async () => {
    server = await testServer();
    bl = await VtnClient.of(server, spec!, 'utility', 'admin');
    ven1 = await VtnClient.of(server, spec!, 'home-1', 'ven');
    ven2 = await VtnClient.of(server, spec!, 'home-2', 'ven');
    clients.push(bl, ven1, ven2);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('holds answers to the spec: the validator refuses what the spec refuses', () => {
    const ok = {
      id: 'p1',
      createdDateTime: '2026-07-15T10:00:00.000Z',
      modificationDateTime: '2026-07-15T10:00:00.000Z',
      objectType: 'PROGRAM',
      programName: 'x',
    };
    expect(spec!.check('GET', '/programs/{programID}', 200, ok)).toEqual([]);
    const { id: _id, ...noId } = ok;
    expect(spec!.check('GET', '/programs/{programID}', 200, noId)).not.toEqual([]);
    expect(
      spec!.check('GET', '/programs/{programID}', 200, { ...ok, createdDateTime: 'yesterday' }),
    ).not.toEqual([]);
    expect(spec!.check('GET', '/programs', 200, ok)).not.toEqual([]);
    expect(spec!.check('POST', '/programs', 202, ok)).not.toEqual([]);
    expect(spec!.check('GET', '/programs', 200, [ok], 'text/plain')).not.toEqual([]);
    expect(
      spec!.check('GET', '/programs', 403, { status: 403, title: 'Forbidden', detail: 'no', type: 'no uri' }),
    ).not.toEqual([]);
  });

  it('trades client credentials for a token with the spec’s scopes, narrowed on request', async () => {
    const full = await ven1.tokenFor();
    expect(full.status).toBe(200);
    expect((full.body as { scope: string }).scope.split(' ')).toEqual(
      expect.arrayContaining(['read_targets', 'read_ven_objects', 'write_reports']),
    );
    const narrow = await ven1.tokenFor('read_targets');
    expect((narrow.body as { scope: string }).scope).toBe('read_targets');
    // a narrowed token cannot do what the scope it left out allows
    const token = (narrow.body as { access_token: string }).access_token;
    expect((await ven1.call('GET', '/vens', { token })).status).toBe(403);
    // a scope the role does not hold is refused, not dropped
    const wider = await ven1.tokenFor('write_programs');
    expect(wider.status).toBe(400);
    expect(wider.body).toMatchObject({ error: 'invalid_scope' });
    const wrong = new VtnClient(server, spec!, ven1.clientId, 'not-the-secret');
    expect((await wrong.tokenFor()).status).toBe(401);
    // the token endpoint the spec's /auth/server names is this one
    const info = (await (await fetch(`${server.url}/openadr3/auth/server`)).json()) as { tokenURL: string };
    expect(info.tokenURL).toBe(`${server.url}/openadr3/auth/token`);
    expect(wrong.violations).toEqual([]);
  });

  it('creates, reads, updates and deletes every object kind, each answer as the spec defines it', async () => {
    const program = await bl.call<Obj>('POST', '/programs', {
      body: {
        programName: 'crud-program',
        payloadDescriptors: [
          { objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', units: 'KWH', currency: 'USD' },
        ],
      },
    });
    expect(program.status).toBe(201);
    expect(program.body).toMatchObject({ objectType: 'PROGRAM', programName: 'crud-program' });
    const programID = program.body.id;
    // names are unique
    expect((await bl.call('POST', '/programs', { body: { programName: 'crud-program' } })).status).toBe(409);
    // a required field missing is a 400 naming it
    const bad = await bl.call<{ detail: string }>('POST', '/programs', { body: { programDescriptions: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('programName');

    const ven = await bl.call<Obj>('POST', '/vens', {
      body: {
        objectType: 'BL_VEN_REQUEST',
        clientID: ven1.clientId,
        venName: 'ven-crud',
        targets: ['group-a'],
      },
    });
    expect(ven.status).toBe(201);
    expect(ven.body).toMatchObject({ objectType: 'VEN', clientID: ven1.clientId, targets: ['group-a'] });
    const resource = await bl.call<Obj>('POST', '/resources', {
      body: {
        objectType: 'BL_RESOURCE_REQUEST',
        clientID: ven1.clientId,
        venID: ven.body.id,
        resourceName: 'heat-pump',
        attributes: [
          { type: 'BUS', values: ['b3'] },
          { type: 'PHASES', values: [1] },
        ],
      },
    });
    expect(resource.status).toBe(201);
    expect(
      (
        await bl.call('POST', '/resources', {
          body: {
            ...bodyOf(resource.body),
            objectType: 'BL_RESOURCE_REQUEST',
            resourceName: 'other',
            venID: 'nope',
          },
        })
      ).status,
    ).toBe(404);

    const event = await bl.call<Obj>('POST', '/events', {
      body: {
        programID,
        eventName: 'crud-event',
        targets: ['group-a'],
        intervalPeriod: { start: '2026-07-15T12:00:00Z', duration: 'PT1H' },
        intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.21] }] }],
      },
    });
    expect(event.status).toBe(201);
    expect((await bl.call('POST', '/events', { body: { programID: 'missing' } })).status).toBe(409);

    const report = await ven1.call<Obj>('POST', '/reports', {
      body: {
        eventID: event.body.id,
        clientName: 'home-1',
        resources: [
          {
            resourceName: 'heat-pump',
            intervalPeriod: { start: '2026-07-15T12:00:00Z', duration: 'PT1H' },
            intervals: [{ id: 0, payloads: [{ type: 'USAGE', values: [1.7] }] }],
          },
        ],
      },
    });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ objectType: 'REPORT', clientID: ven1.clientId });
    const sub = await ven1.call<Obj>('POST', '/subscriptions', {
      body: {
        clientName: 'home-1',
        programID,
        objectOperations: [
          { objects: ['EVENT'], operations: ['CREATE'], callbackUrl: 'https://example.invalid/cb' },
        ],
      },
    });
    expect(sub.status).toBe(201);

    // read each back, one and all
    for (const [path, id, name] of [
      ['/programs', programID, 'programID'],
      ['/events', event.body.id, 'eventID'],
      ['/vens', ven.body.id, 'venID'],
      ['/resources', resource.body.id, 'resourceID'],
      ['/reports', report.body.id, 'reportID'],
      ['/subscriptions', sub.body.id, 'subscriptionID'],
    ] as const) {
      const one = await bl.call<Obj>('GET', `${path}/{${name}}`, { ids: { [name]: id } });
      expect(one.status, path).toBe(200);
      expect(one.body.id).toBe(id);
      const all = await bl.call<Obj[]>('GET', path);
      expect(all.body.map((x) => x.id)).toContain(id);
      expect((await bl.call('GET', `${path}/{${name}}`, { ids: { [name]: 'unknown' } })).status).toBe(404);
    }

    // updates keep the id and creation time and move the modification time
    const put = await bl.call<Obj>('PUT', '/programs/{programID}', {
      ids: { programID },
      body: { programName: 'crud-program-2' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: programID,
      programName: 'crud-program-2',
      createdDateTime: program.body.createdDateTime,
    });
    expect(
      (
        await bl.call('PUT', '/events/{eventID}', {
          ids: { eventID: event.body.id },
          body: { ...bodyOf(event.body), priority: 1 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await ven1.call('PUT', '/reports/{reportID}', {
          ids: { reportID: report.body.id },
          body: { ...bodyOf(report.body), reportName: 'r2' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await ven1.call('PUT', '/subscriptions/{subscriptionID}', {
          ids: { subscriptionID: sub.body.id },
          body: bodyOf(sub.body),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await bl.call('PUT', '/vens/{venID}', {
          ids: { venID: ven.body.id },
          body: { ...bodyOf(ven.body), objectType: 'BL_VEN_REQUEST' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await bl.call('PUT', '/resources/{resourceID}', {
          ids: { resourceID: resource.body.id },
          body: { ...bodyOf(resource.body), objectType: 'BL_RESOURCE_REQUEST' },
        })
      ).status,
    ).toBe(200);

    // pagination: skip and limit, limit at most 50
    for (let i = 0; i < 3; i++) await bl.call('POST', '/programs', { body: { programName: `page-${i}` } });
    const page = await bl.call<Obj[]>('GET', '/programs', { query: 'skip=1&limit=2' });
    expect(page.body.map((p) => p.programName)).toEqual(['page-0', 'page-1']);
    expect((await bl.call('GET', '/programs', { query: 'limit=51' })).status).toBe(400);

    // deletes return what was deleted; deleting a ven takes its resources
    expect(
      (await ven1.call('DELETE', '/subscriptions/{subscriptionID}', { ids: { subscriptionID: sub.body.id } }))
        .status,
    ).toBe(200);
    expect(
      (await ven1.call('DELETE', '/reports/{reportID}', { ids: { reportID: report.body.id } })).status,
    ).toBe(200);
    expect((await bl.call('DELETE', '/events/{eventID}', { ids: { eventID: event.body.id } })).status).toBe(
      200,
    );
    expect((await bl.call('DELETE', '/programs/{programID}', { ids: { programID } })).status).toBe(200);
    expect((await bl.call('DELETE', '/vens/{venID}', { ids: { venID: ven.body.id } })).status).toBe(200);
    expect(
      (await bl.call('GET', '/resources/{resourceID}', { ids: { resourceID: resource.body.id } })).status,
    ).toBe(404);
    expect(
      (await bl.call('DELETE', '/resources/{resourceID}', { ids: { resourceID: resource.body.id } })).status,
    ).toBe(404);
    expect(clients.flatMap((c) => c.violations)).toEqual([]);
  });

  it('shows a VEN its own objects and what is targeted at it, and no more; BL sees all', async () => {
    const v1 = await bl.call<Obj>('POST', '/vens', {
      body: {
        objectType: 'BL_VEN_REQUEST',
        clientID: ven1.clientId,
        venName: 'ven-one',
        targets: ['feeder-1'],
      },
    });
    // a VEN registers itself (no targets: those are BL's to grant)
    const v2 = await ven2.call<Obj>('POST', '/vens', {
      body: { objectType: 'VEN_VEN_REQUEST', venName: 'ven-two' },
    });
    expect(v2.status).toBe(201);
    expect(v2.body.clientID).toBe(ven2.clientId);
    const selfGrant = await ven2.call('POST', '/vens', {
      body: {
        objectType: 'BL_VEN_REQUEST',
        clientID: ven2.clientId,
        venName: 'ven-two-b',
        targets: ['feeder-1'],
      },
    });
    expect(selfGrant.status).toBe(403);
    const r2 = await ven2.call<Obj>('POST', '/resources', {
      body: { objectType: 'VEN_RESOURCE_REQUEST', venID: v2.body.id, resourceName: 'ev' },
    });
    expect(r2.status).toBe(201);
    // not onto another VEN's ven
    expect(
      (
        await ven2.call('POST', '/resources', {
          body: { objectType: 'VEN_RESOURCE_REQUEST', venID: v1.body.id, resourceName: 'x' },
        })
      ).status,
    ).toBe(404);

    const program = await bl.call<Obj>('POST', '/programs', { body: { programName: 'targeted' } });
    const mk = (eventName: string, targets?: string[]) =>
      bl.call<Obj>('POST', '/events', {
        body: { programID: program.body.id, eventName, ...(targets ? { targets } : {}) },
      });
    const everyone = await mk('to-everyone');
    const toFeeder = await mk('to-feeder-1', ['feeder-1', 'secret-group']);
    const toTwo = await mk('to-ven-two', ['ven-two']);

    const names = async (c: VtnClient, query?: string) =>
      (
        await c.call<Obj[]>('GET', '/events', {
          query: `programID=${program.body.id}${query ? `&${query}` : ''}`,
        })
      ).body.map((e) => e.eventName);
    expect(await names(ven1)).toEqual(['to-everyone', 'to-feeder-1']);
    expect(await names(ven2)).toEqual(['to-everyone', 'to-ven-two']);
    expect(await names(bl)).toEqual(['to-everyone', 'to-feeder-1', 'to-ven-two']);
    // asking by target narrows; a target not granted finds nothing
    expect(await names(ven1, 'targets=feeder-1')).toEqual(['to-feeder-1']);
    expect(await names(ven1, 'targets=ven-two')).toEqual([]);
    expect(await names(bl, 'targets=ven-two')).toEqual(['to-ven-two']);
    // target hiding: a VEN sees only the targets granted to it
    const seen = await ven1.call<Obj>('GET', '/events/{eventID}', { ids: { eventID: toFeeder.body.id } });
    expect(seen.body.targets).toEqual(['feeder-1']);
    expect((await ven1.call('GET', '/events/{eventID}', { ids: { eventID: toTwo.body.id } })).status).toBe(
      404,
    );
    expect((await ven2.call('GET', '/events/{eventID}', { ids: { eventID: everyone.body.id } })).status).toBe(
      200,
    );

    // ven objects: each VEN its own
    const vens = async (c: VtnClient) => (await c.call<Obj[]>('GET', '/vens')).body.map((v) => v.venName);
    expect(await vens(ven1)).toEqual(['ven-one']);
    expect(await vens(ven2)).toEqual(['ven-two']);
    expect(await vens(bl)).toEqual(expect.arrayContaining(['ven-one', 'ven-two']));
    expect((await ven1.call('GET', '/vens/{venID}', { ids: { venID: v2.body.id } })).status).toBe(404);
    expect(
      (await ven1.call('GET', '/resources/{resourceID}', { ids: { resourceID: r2.body.id } })).status,
    ).toBe(404);
    expect((await ven1.call<Obj[]>('GET', '/resources')).body).toEqual([]);
    expect((await ven1.call('DELETE', '/vens/{venID}', { ids: { venID: v2.body.id } })).status).toBe(404);
    // a VEN's own update keeps the targets BL granted
    const upd = await ven1.call<Obj>('PUT', '/vens/{venID}', {
      ids: { venID: v1.body.id },
      body: { objectType: 'VEN_VEN_REQUEST', venName: 'ven-one' },
    });
    expect(upd.body.targets).toEqual(['feeder-1']);

    // a VEN writes neither programs nor events; reports are VENs' only
    expect((await ven1.call('POST', '/programs', { body: { programName: 'mine' } })).status).toBe(403);
    expect((await ven1.call('POST', '/events', { body: { programID: program.body.id } })).status).toBe(403);
    expect(
      (await ven1.call('DELETE', '/events/{eventID}', { ids: { eventID: everyone.body.id } })).status,
    ).toBe(403);
    expect(
      (
        await bl.call('POST', '/reports', {
          body: { eventID: everyone.body.id, clientName: 'bl', resources: [] },
        })
      ).status,
    ).toBe(403);
    // nor reports on an event it cannot see
    expect(
      (
        await ven1.call('POST', '/reports', {
          body: { eventID: toTwo.body.id, clientName: 'home-1', resources: [] },
        })
      ).status,
    ).toBe(409);
    const rep = await ven2.call<Obj>('POST', '/reports', {
      body: { eventID: toTwo.body.id, clientName: 'home-2', resources: [] },
    });
    expect(rep.status).toBe(201);
    expect((await ven1.call('GET', '/reports/{reportID}', { ids: { reportID: rep.body.id } })).status).toBe(
      404,
    );
    expect(
      (
        await ven1.call('PUT', '/reports/{reportID}', {
          ids: { reportID: rep.body.id },
          body: bodyOf(rep.body),
        })
      ).status,
    ).toBe(404);
    expect(
      (await bl.call<Obj[]>('GET', '/reports', { query: `eventID=${toTwo.body.id}` })).body,
    ).toHaveLength(1);
    // no token: 401 as a problem
    expect((await ven1.call('GET', '/programs', { token: null })).status).toBe(401);
    expect(clients.flatMap((c) => c.violations)).toEqual([]);
  });

  it('keeps a VEN’s USAGE and BASELINE as its resource’s readings, and refuses a malformed or foreign report naming the field', async () => {
    const meterA = await VtnClient.of(server, spec!, 'meter-a', 'ven');
    const meterB = await VtnClient.of(server, spec!, 'meter-b', 'ven');
    const dso = await VtnClient.of(server, spec!, 'readings-dso', 'dso');
    const resourceOf = async (c: VtnClient, venName: string) => {
      const ven = await c.call<Obj>('POST', '/vens', { body: { objectType: 'VEN_VEN_REQUEST', venName } });
      return (
        await c.call<Obj>('POST', '/resources', {
          body: { objectType: 'VEN_RESOURCE_REQUEST', venID: ven.body.id, resourceName: 'home' },
        })
      ).body;
    };
    const homeA = await resourceOf(meterA, 'meter-ven-a');
    const homeB = await resourceOf(meterB, 'meter-ven-b');
    const program = await bl.call<Obj>('POST', '/programs', { body: { programName: 'metering' } });
    const event = await bl.call<Obj>('POST', '/events', {
      body: {
        programID: program.body.id,
        eventName: 'metered',
        intervalPeriod: { start: '2026-07-15T17:00:00Z', duration: 'PT15M' },
        intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }],
      },
    });
    const eventID = event.body.id;
    const descriptors = [
      { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', units: 'KWH' },
      { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'BASELINE', units: 'KW' },
    ];
    const usage = (values: unknown[], more: Record<string, unknown> = {}) => ({
      eventID,
      clientName: 'meter-a',
      payloadDescriptors: descriptors,
      resources: [
        {
          resourceName: 'home',
          intervals: [
            {
              id: 0,
              payloads: [
                { type: 'USAGE', values: [values[0]] },
                { type: 'BASELINE', values: [2] },
              ],
            },
            {
              id: 1,
              payloads: [
                { type: 'USAGE', values: [values[1]] },
                { type: 'BASELINE', values: [2] },
              ],
            },
          ],
        },
      ],
      ...more,
    });
    const readings = async (c: VtnClient, resourceID: string, query = '') => {
      const res = await fetch(`${server.url}/v1/openadr/resources/${resourceID}/readings${query}`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      return { status: res.status, body: (await res.json()) as { readings: Record<string, unknown>[] } };
    };

    const posted = await meterA.call<Obj>('POST', '/reports', { body: usage([0.4, 0.55]) });
    expect(posted.status).toBe(201);
    // the intervals follow the event's period; BASELINE's kW over a quarter hour is kWh / 4
    const seen = await readings(meterA, homeA.id);
    expect(seen.status).toBe(200);
    expect(seen.body.readings.map((r) => [r.type, r.intervalStart, r.intervalMinutes, r.kwh])).toEqual([
      ['BASELINE', '2026-07-15T17:00:00.000Z', 15, 0.5],
      ['USAGE', '2026-07-15T17:00:00.000Z', 15, 0.4],
      ['BASELINE', '2026-07-15T17:15:00.000Z', 15, 0.5],
      ['USAGE', '2026-07-15T17:15:00.000Z', 15, 0.55],
    ]);
    expect(seen.body.readings.every((r) => r.reportID === posted.body.id)).toBe(true);
    // the DSO sees them too; another VEN does not see that the resource exists
    expect((await readings(dso, homeA.id)).body).toEqual(seen.body);
    expect((await readings(meterB, homeA.id)).status).toBe(404);
    expect((await readings(meterA, homeA.id, '?type=USAGE')).body.readings).toHaveLength(2);
    // a corrected report replaces the intervals it covers
    const fixed = await meterA.call<Obj>('PUT', '/reports/{reportID}', {
      ids: { reportID: posted.body.id },
      body: usage([0.4, 0.6]),
    });
    expect(fixed.status).toBe(200);
    expect((await readings(meterA, homeA.id, '?type=USAGE')).body.readings.map((r) => r.kwh)).toEqual([
      0.4, 0.6,
    ]);

    // refused, each naming the field, and nothing kept
    const refused = async (body: unknown, status: number, field: string) => {
      const r = await meterA.call<{ detail: string }>('POST', '/reports', { body });
      expect(r.status, field).toBe(status);
      expect(r.body.detail, field).toContain(field);
    };
    const foreign = usage([1, 1]);
    foreign.resources[0].resourceName = 'elsewhere';
    await refused(foreign, 409, 'resources[0].resourceName');
    await refused(usage(['lots', 1]), 400, 'resources[0].intervals[0].payloads[0].values');
    await refused(
      usage([1, 1], {
        payloadDescriptors: [
          { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', units: 'THERMS' },
        ],
      }),
      400,
      'payloadDescriptors[0].units',
    );
    const untimed = await bl.call<Obj>('POST', '/events', {
      body: { programID: program.body.id, eventName: 'untimed' },
    });
    await refused(
      { ...usage([1, 1]), eventID: untimed.body.id },
      400,
      'resources[0].intervals[0].intervalPeriod',
    );
    // B's resource is named "home" too: A's report reaches A's resource, never B's
    expect((await readings(meterB, homeB.id)).body.readings).toEqual([]);
    expect((await readings(meterA, homeA.id, '?type=USAGE')).body.readings.map((r) => r.kwh)).toEqual([
      0.4, 0.6,
    ]);
    expect([meterA, meterB, dso].flatMap((c) => c.violations)).toEqual([]);
  });

  it('allows each OpenADR route to the roles whose scopes hold its scope and refuses it to every other', async () => {
    const spec3 = spec!;
    const byRole = await Promise.all(
      ROLES.map((role) => VtnClient.of(server, spec3, `adr-matrix-${role}`, role)),
    );
    const rows: string[] = [];
    for (const r of OPENADR_ROUTES) {
      const template = r.path.slice('/openadr3'.length);
      // the route's scope is the one the spec's security section names
      expect(spec3.scopes(r.method, template), `${r.method} ${template}`).toContain(r.scope);
      for (const [i, role] of ROLES.entries()) {
        const res = await byRole[i].call(r.method, template, r.body ? { body: {} } : {});
        const allowed = ROLE_SCOPES[role].includes(r.scope!);
        if (allowed === (res.status === 403)) rows.push(`${r.method} ${r.path} as ${role}: ${res.status}`);
      }
    }
    // the VTN's own routes beside the spec's: the same scopes, the same roles
    for (const r of RESOURCE_READING_ROUTES)
      for (const [i, role] of ROLES.entries()) {
        const res = await fetch(`${server.url}${r.path.replace(/\{\w+\}/g, 'none')}`, {
          method: r.method,
          headers: { authorization: `Bearer ${byRole[i].token}` },
        });
        const allowed = ROLE_SCOPES[role].includes(r.scope!);
        if (allowed === (res.status === 403)) rows.push(`${r.method} ${r.path} as ${role}: ${res.status}`);
        if (allowed && res.status !== 404)
          rows.push(`${r.method} ${r.path} as ${role}: ${res.status}, not 404`);
      }
    expect(rows).toEqual([]);
    expect(byRole.flatMap((c) => c.violations)).toEqual([]);
  });

  it('serves the VTN in /openapi.json and covers the spec’s object, auth and notifier operations', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const ours = new Set(
      OPENADR_ROUTES.map((r) => `${r.method} ${r.path.slice('/openadr3'.length)}`).concat([
        'POST /auth/token',
        'GET /auth/server',
      ]),
    );
    for (const r of OPENADR_ROUTES) expect(Object.keys(doc.paths)).toContain(r.path);
    const all = spec!.operations();
    const missing = all.filter((op) => !ours.has(op));
    expect(missing).toEqual([]);
    expect([...ours].every((op) => all.includes(op))).toBe(true);
  });
});

/** What a client sends back to update an object: the object without the VTN's metadata. */
function bodyOf(o: Obj): Record<string, unknown> {
  const { id: _i, createdDateTime: _c, modificationDateTime: _m, objectType: _o, ...rest } = o;
  return rest;
}
