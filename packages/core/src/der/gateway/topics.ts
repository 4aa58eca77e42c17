/**
 * The MQTT topic tree of a device fleet, one subtree per VPP so a broker cluster can shard by it:
 *   gridtier/{vpp}/broadcast                   the VPP's estimate and goal, to all its devices
 *   gridtier/{vpp}/devices/{id}/telemetry      the device's state, from the device
 *   gridtier/{vpp}/devices/{id}/commands       commands, to the device
 *   gridtier/{vpp}/devices/{id}/acks           acknowledgements of commands, from the device
 *   gridtier/{vpp}/devices/{id}/status         "online" on connect, "offline" as its last will
 * Identifiers are restricted to [A-Za-z0-9_.-] so no name can carry a wildcard or a level.
 */
export const TOPIC_ROOT = 'gridtier';

export const DEVICE_CHANNELS = ['telemetry', 'commands', 'acks', 'status'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;
export const isValidId = (id: string): boolean => ID_RE.test(id) && id !== '.' && id !== '..';

export const broadcastTopic = (vpp: string): string => `${TOPIC_ROOT}/${vpp}/broadcast`;
export const deviceTopic = (vpp: string, id: string, channel: DeviceChannel): string =>
  `${TOPIC_ROOT}/${vpp}/devices/${id}/${channel}`;
/** What the gateway subscribes to: every device's telemetry, acks and status of every VPP. */
export const gatewayFilters = (): string[] => [
  `${TOPIC_ROOT}/+/devices/+/telemetry`,
  `${TOPIC_ROOT}/+/devices/+/acks`,
  `${TOPIC_ROOT}/+/devices/+/status`,
];

export type ParsedTopic =
  | { kind: 'broadcast'; vpp: string }
  | { kind: 'device'; vpp: string; deviceId: string; channel: DeviceChannel };

/** Reads a concrete topic of the tree; anything else is undefined. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || !isValidId(parts[1] ?? '')) return undefined;
  if (parts.length === 3 && parts[2] === 'broadcast') return { kind: 'broadcast', vpp: parts[1] };
  if (parts.length !== 5 || parts[2] !== 'devices' || !isValidId(parts[3])) return undefined;
  const channel = parts[4] as DeviceChannel;
  if (!DEVICE_CHANNELS.includes(channel)) return undefined;
  return { kind: 'device', vpp: parts[1], deviceId: parts[3], channel };
}
