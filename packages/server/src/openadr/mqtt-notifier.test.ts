import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../http/test-support.js';
import type { RunningServer } from '../server.js';
import { OpenAdrSpec, SPEC_PATH, VtnClient } from './test-support.js';

const spec = OpenAdrSpec.load();
if (!spec) console.warn(`skipping the OpenADR MQTT notifier tests: no spec at ${SPEC_PATH}`);

/** The broker these tests publish through (Mosquitto on this machine; set it with OPENADR_TEST_BROKER). */
const BROKER = process.env.OPENADR_TEST_BROKER ?? 'mqtt://127.0.0.1:1883';

type Obj = Record<string, unknown> & { id: string };
type Topics = { topics: { CREATE?: string; UPDATE: string; DELETE: string; ALL: string } };
interface Message {
  topic: string;
  body: { objectType: string; operation: string; object: Obj };
}

describe.skipIf(!spec)('OpenADR notifications over MQTT', () => {
  // a prefix of its own: other runs may share the broker
  const prefix = `t-${randomBytes(4).toString('hex')}/`;
  let server: RunningServer;
  let listener: MqttClient;
  const received: Message[] = [];

  beforeAll(async () => {
    server = await testServer({ openadrMqtt: { url: BROKER, topicPrefix: prefix } });
    listener = await connectAsync(BROKER, { clientId: `gridtier-test-${randomBytes(4).toString('hex')}` });
    listener.on('message', (topic, payload) =>
      received.push({ topic, body: JSON.parse(payload.toString()) }),
    );
  }, 60_000);
  afterAll(async () => {
    await listener?.endAsync();
    await server?.close();
  });

  it('publishes each change on the spec’s topics, a ven’s topics carrying only what its client may read', async () => {
    const bl = await VtnClient.of(server, spec!, 'mqtt-utility', 'admin');
    const one = await VtnClient.of(server, spec!, 'mqtt-home-1', 'ven');
    const two = await VtnClient.of(server, spec!, 'mqtt-home-2', 'ven');
    const notifiers = await bl.call<{ WEBHOOK: boolean; MQTT: { URIS: string[] } }>('GET', '/notifiers');
    expect(notifiers.body).toEqual({
      WEBHOOK: true,
      MQTT: { URIS: [BROKER], serialization: 'JSON', authentication: { method: 'ANONYMOUS' } },
    });
    const venOf = async (c: VtnClient, venName: string, targets: string[]) =>
      (
        await bl.call<Obj>('POST', '/vens', {
          body: { objectType: 'BL_VEN_REQUEST', clientID: c.clientId, venName, targets },
        })
      ).body;
    const v1 = await venOf(one, 'mqtt-ven-1', ['feeder-9']);
    const v2 = await venOf(two, 'mqtt-ven-2', []);
    const program = (await bl.call<Obj>('POST', '/programs', { body: { programName: 'mqtt-program' } })).body;

    // the topic names come from the VTN; a VEN gets its own vens' only
    const topicsOf = async (c: VtnClient, template: string, ids: Record<string, string> = {}) => {
      const r = await c.call<Topics>('GET', template, { ids });
      expect(r.status, template).toBe(200);
      return r.body.topics;
    };
    const all = await topicsOf(bl, '/notifiers/mqtt/topics/events');
    expect(all).toEqual({
      CREATE: `${prefix}events/create`,
      UPDATE: `${prefix}events/update`,
      DELETE: `${prefix}events/delete`,
      ALL: `${prefix}events/+`,
    });
    const ofProgram = await topicsOf(bl, '/notifiers/mqtt/topics/programs/{programID}/events', {
      programID: program.id,
    });
    const ofOne = await topicsOf(one, '/notifiers/mqtt/topics/vens/{venID}/events', { venID: v1.id });
    const ofTwo = await topicsOf(two, '/notifiers/mqtt/topics/vens/{venID}/events', { venID: v2.id });
    const resourcesOfOne = await topicsOf(one, '/notifiers/mqtt/topics/vens/{venID}/resources', {
      venID: v1.id,
    });
    expect(
      (await one.call('GET', '/notifiers/mqtt/topics/vens/{venID}/events', { ids: { venID: v2.id } })).status,
    ).toBe(404);
    expect((await one.call('GET', '/notifiers/mqtt/topics/events')).status).toBe(403);
    await listener.subscribeAsync([all.ALL, ofProgram.ALL, ofOne.ALL, ofTwo.ALL, resourcesOfOne.ALL], {
      qos: 1,
    });

    const event = (eventName: string, targets: string[]) =>
      bl.call<Obj>('POST', '/events', { body: { programID: program.id, eventName, targets } });
    const toFeeder = (await event('to-feeder', ['feeder-9', 'secret'])).body;
    const toTwo = (await event('to-two', ['mqtt-ven-2'])).body;
    await bl.call('PUT', '/events/{eventID}', {
      ids: { eventID: toFeeder.id },
      body: { programID: program.id, eventName: 'to-feeder', targets: ['feeder-9', 'secret'], priority: 1 },
    });
    await bl.call('DELETE', '/events/{eventID}', { ids: { eventID: toTwo.id } });
    await one.call('POST', '/resources', {
      body: { objectType: 'VEN_RESOURCE_REQUEST', venID: v1.id, resourceName: 'mqtt-meter' },
    });
    await server.openadr.mqtt!.idle();

    const on = (topic: string) => received.filter((m) => m.topic === topic);
    for (let i = 0; i < 200 && on(`${prefix}vens/${v1.id}/resources/create`).length === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    const names = (topic: string) => on(topic).map((m) => [m.body.operation, m.body.object.eventName]);
    expect(names(all.CREATE!)).toEqual([
      ['CREATE', 'to-feeder'],
      ['CREATE', 'to-two'],
    ]);
    expect(names(all.UPDATE)).toEqual([['UPDATE', 'to-feeder']]);
    expect(names(all.DELETE)).toEqual([['DELETE', 'to-two']]);
    expect(names(ofProgram.CREATE!)).toEqual(names(all.CREATE!));
    // BL's topics carry every target; ven 1's hides the one it was not granted, and never sees ven 2's event
    expect(on(all.CREATE!)[0].body.object.targets).toEqual(['feeder-9', 'secret']);
    expect(names(ofOne.CREATE!)).toEqual([['CREATE', 'to-feeder']]);
    expect(on(ofOne.CREATE!)[0].body.object.targets).toEqual(['feeder-9']);
    expect(names(ofOne.UPDATE)).toEqual([['UPDATE', 'to-feeder']]);
    expect(names(ofOne.DELETE)).toEqual([]);
    expect(names(ofTwo.CREATE!)).toEqual([['CREATE', 'to-two']]);
    expect(names(ofTwo.DELETE)).toEqual([['DELETE', 'to-two']]);
    expect(on(resourcesOfOne.CREATE!).map((m) => m.body.object.resourceName)).toEqual(['mqtt-meter']);
    // each message is the spec's notification
    expect(received.flatMap((m) => spec!.checkNotification(m.body))).toEqual([]);
    expect(server.openadr.mqtt!.counts.failed).toBe(0);
    expect([bl, one, two].flatMap((c) => c.violations)).toEqual([]);
  });
});
