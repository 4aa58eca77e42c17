export { type Principal, refusePublish, refuseSubscribe } from './acl.js';
export { type Broadcast, controlFromBroadcast, decodeBroadcast, encodeBroadcast } from './broadcast.js';
export {
  COMMAND_KINDS,
  type CommandKind,
  CommandLog,
  type CommandRecord,
  decodeCommand,
  encodeAck,
  encodeCommand,
} from './commands.js';
export {
  type DeviceState,
  DeviceStates,
  type DeviceStatesOptions,
  REFUSALS,
  type Refusal,
  type TelemetryOutcome,
} from './device-states.js';
export { DeviceRefusedError } from './errors.js';
export {
  checkDeviceInfo,
  type DeviceCredentials,
  type DeviceInfo,
  DeviceRegistry,
  hashDeviceSecret,
  PHASES,
  type Phase,
} from './registry.js';
export { SimulatedDevices } from './simulated-devices.js';
export { encodeTelemetry, MAX_TELEMETRY_BYTES, parseTelemetry, type Telemetry } from './telemetry.js';
export { TokenBuckets } from './throttle.js';
export {
  broadcastTopic,
  DEVICE_CHANNELS,
  type DeviceChannel,
  deviceTopic,
  gatewayFilters,
  isValidId,
  type ParsedTopic,
  parseTopic,
  TOPIC_ROOT,
} from './topics.js';
export { type LoopGoal, type LoopRound, NO_GOAL_KW, VppLoop } from './vpp-loop.js';
