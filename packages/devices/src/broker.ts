import { createServer, type Server } from 'node:net';
import * as gw from '@gridtier/core/der/gateway';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { GATEWAY_USERNAME } from './principals.js';

type Principal = gw.Principal;

export interface BrokerOptions {
  registry: gw.DeviceRegistry;
  /** the secret the gateway connects with */
  gatewaySecret: string;
  port?: number;
  host?: string;
  /** largest payload a device may publish, bytes */
  maxPayloadBytes?: number;
  /** messages a second a device may publish on average, and its burst; beyond, its socket is read more slowly */
  ratePerS?: number;
  burst?: number;
  /** a device whose messages are held back longer than this is flooding and is disconnected, ms */
  maxHoldMs?: number;
}

export interface BrokerStats {
  connected: number;
  refusedConnects: number;
  refusedPublishes: number;
  refusedSubscribes: number;
  oversized: number;
  /** publishes held back by the rate limit */
  throttled: number;
  /** devices disconnected for flooding */
  floodDisconnects: number;
  revokedDisconnects: number;
  messagesIn: number;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  stats: BrokerStats;
  /** refusals with their reasons, newest last (at most 1000 kept) */
  refusals: string[];
  close(): Promise<void>;
}

/**
 * The embedded MQTT broker (aedes) with the fleet's rules in its hooks: device credentials from
 * the registry, the topic ACL of der/gateway, a payload size limit and a per-device rate limit
 * that holds a device's publishes back (aedes reads a client's socket only once its previous
 * packets are handled, so holding the authorisation back is TCP back-pressure on that device
 * alone). Revoking a device in the registry disconnects it at once.
 */
export async function startBroker(options: BrokerOptions): Promise<EmbeddedBroker> {
  const maxPayload = options.maxPayloadBytes ?? gw.MAX_TELEMETRY_BYTES;
  const buckets = new gw.TokenBuckets(options.ratePerS ?? 50, options.burst ?? 100);
  const maxHoldMs = options.maxHoldMs ?? 2000;
  const principals = new WeakMap<Client, Principal>();
  const byDevice = new Map<string, Client>();
  const stats: BrokerStats = {
    connected: 0,
    refusedConnects: 0,
    refusedPublishes: 0,
    refusedSubscribes: 0,
    oversized: 0,
    throttled: 0,
    floodDisconnects: 0,
    revokedDisconnects: 0,
    messagesIn: 0,
  };
  const refusals: string[] = [];
  const note = (what: string) => {
    refusals.push(what);
    if (refusals.length > 1000) refusals.shift();
  };

  const broker = await Aedes.createBroker({
    maxClientsIdLength: 80,
    drainTimeout: 10_000,
    // no cap on messages in flight: past the cap mqemitter queues them and drains the queue by
    // recursion, which overflows the stack when ten thousand devices report at once (back-pressure
    // is each device's socket and the rate limit below)
    concurrency: 0,
    authenticate: (client, username, password, done) => {
      const secret = password?.toString('utf8') ?? '';
      if (username === GATEWAY_USERNAME && secret === options.gatewaySecret) {
        principals.set(client, { kind: 'gateway' });
        return done(null, true);
      }
      const info =
        username !== undefined && client.id === username
          ? options.registry.verify(username, secret)
          : undefined;
      if (!info) {
        stats.refusedConnects++;
        note(`connect refused: ${username ?? '(no user name)'} as client ${client.id}`);
        const e = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        return done(e as never, false);
      }
      principals.set(client, { kind: 'device', id: info.id, vpp: info.vpp });
      byDevice.get(info.id)?.close();
      byDevice.set(info.id, client);
      return done(null, true);
    },
    authorizePublish: (client, packet, done) => {
      const who = client ? principals.get(client) : undefined;
      // a will left from an earlier connection is published without a client: status offline only
      if (!client) return done(packet.topic.endsWith('/status') ? null : new Error('no publisher'));
      if (!who) return done(new Error('not authenticated'));
      const why = gw.refusePublish(who, packet.topic);
      if (why) {
        stats.refusedPublishes++;
        note(`publish refused: ${why}`);
        return done(new Error(why));
      }
      if (who.kind === 'gateway') return done(null);
      if (packet.payload.length > maxPayload) {
        stats.oversized++;
        note(`publish refused: ${who.id} sent ${packet.payload.length} bytes on ${packet.topic}`);
        return done(new Error('payload too large'));
      }
      stats.messagesIn++;
      const waitMs = buckets.reserve(who.id, Date.now());
      if (waitMs === 0) return done(null);
      stats.throttled++;
      if (waitMs > maxHoldMs) {
        stats.floodDisconnects++;
        note(`flooding: ${who.id} disconnected`);
        return done(new Error('flooding'));
      }
      setTimeout(() => done(null), waitMs);
    },
    authorizeSubscribe: (client, sub, done) => {
      const who = principals.get(client);
      const why = who ? gw.refuseSubscribe(who, sub.topic) : 'not authenticated';
      if (why) {
        stats.refusedSubscribes++;
        note(`subscribe refused: ${why}`);
        return done(null, null as never);
      }
      done(null, sub);
    },
  });
  broker.on('clientReady', () => {
    stats.connected++;
  });
  broker.on('clientDisconnect', (client) => {
    stats.connected--;
    const who = principals.get(client);
    if (who?.kind === 'device' && byDevice.get(who.id) === client) {
      byDevice.delete(who.id);
      buckets.forget(who.id);
    }
  });
  options.registry.onRevoke((id) => {
    const client = byDevice.get(id);
    if (!client) return;
    stats.revokedDisconnects++;
    client.close();
  });

  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (e) => {
    // the broker's own timers would keep the process alive
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw e;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    stats,
    refusals,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { AedesPublishPacket };
