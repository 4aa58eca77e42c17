export { type BrokerOptions, type BrokerStats, type EmbeddedBroker, startBroker } from './broker.js';
export { DayGoals } from './day-goals.js';
export { BrokerUnreachableError } from './errors.js';
export {
  type FleetRunOptions,
  type FleetRunResult,
  MIN_ROUNDS_WITH_DROP,
  type RoundRecord,
  runFleet,
} from './fleet-run.js';
export { Gateway, type GatewayOptions, type GatewayStats } from './gateway.js';
export {
  DeviceHost,
  type DeviceHostOptions,
  type DeviceStore,
  type StoredDevice,
  type VppView,
} from './host.js';
export { listening } from './listening.js';
export { GATEWAY_USERNAME } from './principals.js';
export { DeviceSimulation, type SimRound, type SimulationOptions, simulatedDeviceId } from './simulation.js';
