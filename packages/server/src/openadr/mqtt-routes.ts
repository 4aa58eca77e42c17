import { z } from 'zod';
import { ApiError } from '../errors.js';
import { type ApiDeps, type Route, route } from '../http/route.js';
import type { AdrKind } from '../store/index.js';
import type { MqttNotifier } from './mqtt-notifier.js';
import type { OperationTopics, VenTopicKind } from './mqtt-topics.js';
import * as s from './schemas.js';
import { adrCaller } from './vtn.js';

const P = '/openadr3/notifiers/mqtt/topics';
const TAG = 'openadr3';
const BL = { clientId: '', bl: true };

/** The VTN's MQTT notifier, or a 404: the server runs without a broker. */
function mqttOf(deps: ApiDeps): MqttNotifier {
  const m = deps.vtn.mqtt;
  if (m === undefined)
    throw new ApiError(
      404,
      'Not Found',
      'notifier: this VTN notifies by webhook only (serve it with an MQTT broker)',
      {
        field: 'notifier',
        details: { code: 'NOT_FOUND' },
      },
    );
  return m;
}

const answer = (topics: OperationTopics) => ({ topics });

/** A topics route with no object in its path. */
function ofKind(path: string, scope: 'read_all' | 'read_bl', kind: AdrKind) {
  return route({
    method: 'GET',
    path: `${P}/${path}`,
    scope,
    tag: TAG,
    summary: `OpenADR: the MQTT topic names of operations on all ${path}`,
    response: s.notifierTopicsResponse,
    handler: ({ deps }) => answer(mqttOf(deps).topics.ofKind(kind)),
  });
}

/** A topics route of one program (BL's: read_all). */
function ofProgram(
  path: string,
  what: string,
  topics: (m: MqttNotifier, programId: string) => OperationTopics,
) {
  return route({
    method: 'GET',
    path: `${P}/programs/{programID}${path}`,
    scope: 'read_all',
    tag: TAG,
    summary: `OpenADR: the MQTT topic names of ${what}`,
    params: z.object({ programID: s.objectID }),
    response: s.notifierTopicsResponse,
    handler: async ({ params, deps }) => {
      const m = mqttOf(deps);
      const p = await deps.vtn.owned('PROGRAM', BL, params.programID as string, 'programID');
      return answer(topics(m, p.id));
    },
  });
}

/** A topics route of one ven's objects: the caller's own ven (BL: any). */
function ofVen(path: string, kind: VenTopicKind | undefined) {
  return route({
    method: 'GET',
    path: `${P}/vens/{venID}${path}`,
    scope: 'read_ven_objects',
    tag: TAG,
    summary: `OpenADR: the MQTT topic names of ${kind === undefined ? 'operations on one of your vens' : `the ${path.slice(1)} one of your vens may read`}`,
    params: z.object({ venID: s.objectID }),
    response: s.notifierTopicsResponse,
    handler: async ({ caller, params, deps }) => {
      const m = mqttOf(deps);
      const ven = await deps.vtn.owned('VEN', adrCaller(caller), params.venID as string, 'venID');
      return answer(kind === undefined ? m.topics.ofVen(ven.id) : m.topics.ofVenObjects(ven.id, kind));
    },
  });
}

/**
 * The spec's MQTT topic-name routes (GET /notifiers/mqtt/topics/…), each with the scope the spec's
 * security section names (read_bl is the business logic's); answered 404 when the VTN has no
 * MQTT notifier.
 */
export const MQTT_TOPIC_ROUTES: readonly Route[] = [
  ofKind('programs', 'read_all', 'PROGRAM'),
  ofKind('events', 'read_bl', 'EVENT'),
  ofKind('reports', 'read_bl', 'REPORT'),
  ofKind('subscriptions', 'read_bl', 'SUBSCRIPTION'),
  ofKind('vens', 'read_bl', 'VEN'),
  ofKind('resources', 'read_bl', 'RESOURCE'),
  ofProgram('', 'operations on one program', (m, id) => m.topics.ofProgram(id)),
  ofProgram('/events', "operations on one program's events", (m, id) => m.topics.ofProgramEvents(id)),
  ofVen('', undefined),
  ofVen('/events', 'EVENT'),
  ofVen('/programs', 'PROGRAM'),
  ofVen('/resources', 'RESOURCE'),
];
