import { parentPort, workerData } from 'node:worker_threads';
import { buildFleet, sliceFleet } from '@gridtier/core/der/devices';
import * as gw from '@gridtier/core/der/gateway';
import { Prng } from '@gridtier/core/random';
import mqtt, { type MqttClient } from 'mqtt';
import type { FromWorker, SimWorkerData, ToWorker } from './sim-protocol.js';

/**
 * A slice of a simulated fleet, each device a real MQTT client with its own credentials and last
 * will. Each device decodes the broadcast it receives; the slice is stepped once every connected
 * device heard the round (or the round's time-out passed), then each device reports.
 */
/**
 * In a worker thread the data come with it; in a child process (forked with IPC, for fleets
 * beyond the file descriptors one process may hold) they are its first message.
 */
const data: SimWorkerData = parentPort
  ? (workerData as SimWorkerData)
  : await new Promise((resolve) =>
      process.once('message', (m: { type: 'init'; data: SimWorkerData }) => resolve(m.data)),
    );
const port = {
  on: (fn: (m: ToWorker) => void) => (parentPort ? parentPort.on('message', fn) : process.on('message', fn)),
  close: () => (parentPort ? parentPort.close() : process.disconnect()),
};
const send = (m: FromWorker) => (parentPort ? parentPort.postMessage(m) : process.send!(m));
// a child process whose parent went away (ended, or a thread that forked it terminated) ends too
if (!parentPort) process.once('disconnect', () => process.exit(0));

const n = data.end - data.start;
const devices = new gw.SimulatedDevices(
  sliceFleet(buildFleet(data.spec, data.seed), data.start, data.end, data.seed + data.start + 1),
  data.dtS,
);
const clients: MqttClient[] = new Array(n);
const telemetryTopics = data.ids.map((id) => gw.deviceTopic(data.vpp, id, 'telemetry'));
const loss = new Prng(data.seed * 7919 + data.start);
let connected = 0;
let pending: gw.Broadcast | undefined;
let heardPending = 0;
let lastStepped = 0;
let timer: NodeJS.Timeout | undefined;

function onBroadcast(i: number, payload: Buffer): void {
  const b = gw.decodeBroadcast(payload);
  if (!b || b.round <= lastStepped || devices.connected[i] === 0) return;
  if (!pending || b.round > pending.round) {
    pending = b;
    heardPending = 0;
    clearTimeout(timer);
    timer = setTimeout(stepPending, data.roundTimeoutMs);
  }
  if (b.round === pending.round && devices.heardRound[i] < b.round) {
    devices.heard(i, b.round);
    heardPending++;
    if (heardPending >= connected) stepPending();
  }
}

function stepPending(): void {
  clearTimeout(timer);
  const b = pending;
  if (!b) return;
  pending = undefined;
  lastStepped = b.round;
  const { switches } = devices.step(b);
  let published = 0;
  for (let i = 0; i < n; i++) {
    if (devices.connected[i] === 0) continue;
    const t = devices.telemetry(i, b.round);
    if (data.loss > 0 && loss.next() < data.loss) continue;
    clients[i].publish(telemetryTopics[i], gw.encodeTelemetry(t), { qos: 0 });
    published++;
  }
  send({
    type: 'round',
    round: b.round,
    enabledKw: devices.enabledKw(),
    published,
    heard: heardPending,
    connected,
    switches,
  });
}

let acked = 0;
function onCommand(i: number, payload: Buffer): void {
  const c = gw.decodeCommand(payload);
  if (!c) return;
  const ok = devices.command(i, c.kind);
  clients[i].publish(gw.deviceTopic(data.vpp, data.ids[i], 'acks'), gw.encodeAck(c.id, ok), { qos: 1 });
  send({ type: 'commands', acked: ++acked });
}

async function connectOne(i: number): Promise<void> {
  const id = data.ids[i];
  const status = gw.deviceTopic(data.vpp, id, 'status');
  const client = await mqtt.connectAsync(data.brokerUrl, {
    clientId: id,
    username: id,
    password: data.secrets[i],
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    keepalive: 120,
    will: { topic: status, payload: Buffer.from('offline'), qos: 0, retain: false },
  });
  clients[i] = client;
  const broadcast = gw.broadcastTopic(data.vpp);
  const commands = gw.deviceTopic(data.vpp, id, 'commands');
  client.on('message', (topic, payload) => {
    if (topic === broadcast) onBroadcast(i, payload);
    else if (topic === commands) onCommand(i, payload);
  });
  client.on('close', () => {
    if (devices.connected[i] === 1) {
      devices.disconnect(i);
      connected--;
    }
  });
  await client.subscribeAsync([broadcast, commands], { qos: 0 });
  await client.publishAsync(status, 'online', { qos: 0 });
  connected++;
  // the device's first report, so the gateway has its state before the first round
  client.publish(telemetryTopics[i], gw.encodeTelemetry(devices.telemetry(i, 0)), { qos: 0 });
}

async function connectAll(): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      try {
        await connectOne(i);
      } catch (e) {
        failed++;
        firstError ??= (e as Error).message;
        devices.disconnect(i);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, data.connectConcurrency) }, lane));
  send({ type: 'ready', connected, failed, firstError });
}

port.on((m: ToWorker) => {
  if (m.type === 'drop') {
    let count = 0;
    for (const i of m.indices) {
      if (devices.connected[i] === 0) continue;
      devices.disconnect(i);
      connected--;
      count++;
      // the connection breaks without a DISCONNECT, so the broker publishes the device's will
      clients[i].stream.destroy();
    }
    send({ type: 'dropped', count });
  } else if (m.type === 'close') {
    clearTimeout(timer);
    Promise.all(clients.map((c) => (c && !c.disconnected ? c.endAsync(true) : undefined))).finally(() => {
      send({ type: 'closed' });
      port.close();
    });
  }
});

connectAll().catch((e) => send({ type: 'error', message: (e as Error).message }));
