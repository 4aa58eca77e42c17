import { type DeviceChannel, gatewayFilters, parseTopic } from './topics.js';

/** Who holds a connection: a registered device, or the gateway (the VPP's controller). */
export type Principal = { kind: 'device'; id: string; vpp: string } | { kind: 'gateway' };

/** Channels a device may publish on (its own only). */
const DEVICE_PUBLISHES: readonly DeviceChannel[] = ['telemetry', 'acks', 'status'];

/**
 * Topic ACL. A device publishes only its own telemetry, acknowledgements and status, and
 * subscribes only to its own commands and its VPP's broadcast; no wildcard subscriptions. The
 * gateway publishes broadcasts and commands and subscribes to what devices publish. Returns
 * undefined when allowed, else the reason.
 */
export function refusePublish(who: Principal, topic: string): string | undefined {
  const t = parseTopic(topic);
  if (t === undefined) return `topic ${topic} is outside the fleet's tree`;
  if (who.kind === 'gateway')
    return t.kind === 'broadcast' || t.channel === 'commands'
      ? undefined
      : `the gateway does not publish on ${topic}`;
  if (t.kind === 'broadcast') return `device ${who.id} may not publish broadcasts`;
  if (t.vpp !== who.vpp || t.deviceId !== who.id) return `device ${who.id} may not publish on ${topic}`;
  if (!DEVICE_PUBLISHES.includes(t.channel)) return `device ${who.id} may not publish ${t.channel}`;
  return undefined;
}

export function refuseSubscribe(who: Principal, filter: string): string | undefined {
  if (who.kind === 'gateway')
    return gatewayFilters().includes(filter) ? undefined : `the gateway does not subscribe to ${filter}`;
  const t = parseTopic(filter);
  if (t === undefined) return `device ${who.id} may not subscribe to ${filter}`;
  if (t.vpp !== who.vpp) return `device ${who.id} may not subscribe to another VPP's ${filter}`;
  if (t.kind === 'broadcast') return undefined;
  return t.deviceId === who.id && t.channel === 'commands'
    ? undefined
    : `device ${who.id} may not subscribe to ${filter}`;
}
