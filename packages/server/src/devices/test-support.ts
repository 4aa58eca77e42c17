import mqtt, { type MqttClient } from 'mqtt';

/** What `POST /v1/devices` answers. */
export interface DeviceCreated {
  device: { id: string; vpp: string };
  mqtt: { url: string; username: string; password: string; publish: string[]; subscribe: string[] };
}

/** Connects a registered device as a real one does: its credentials, its last will, its topics, "online". */
export async function connectDevice(c: DeviceCreated): Promise<MqttClient> {
  const status = c.mqtt.publish[2];
  const m = await mqtt.connectAsync(
    c.mqtt.url,
    {
      clientId: c.mqtt.username,
      username: c.mqtt.username,
      password: c.mqtt.password,
      reconnectPeriod: 0,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: false },
    },
    false,
  );
  await m.subscribeAsync(c.mqtt.subscribe, { qos: 1 });
  await m.publishAsync(status, 'online', { qos: 1 });
  return m;
}
