export { buildFleet } from './build.js';
export { dropOut, overrideDisabled } from './disturbances.js';
export { FLAG_CALLING, FLAG_DEPARTED, FLAG_OFFLINE, FLAG_UNINFORMED, Fleet, GROUP_SIZE } from './fleet.js';
export {
  type AirConditionerComfort,
  defaultFleetSpec,
  deviceCount,
  type FleetSpec,
  type FleetSpecInput,
  parseFleetSpec,
  type TierTimers,
  type WaterHeaterComfort,
} from './fleet-spec.js';
export {
  CONTROLLED_TIER_COUNT,
  CONTROLLED_TIERS,
  type ControlledTierName,
  DEVICE_KINDS,
  type DeviceKindName,
  isEnabledState,
  KIND_AIR_CONDITIONER,
  KIND_BATTERY,
  KIND_EV_CHARGER,
  KIND_POOL_PUMP,
  KIND_WATER_HEATER,
  STATE_DF,
  STATE_DR,
  STATE_EF,
  STATE_ER,
  STATE_NAMES,
  TIER_BLACK,
  TIER_COUNT,
  TIER_GREEN,
  TIER_RED,
  TIER_YELLOW,
  TIERS,
  type TierName,
} from './kinds.js';
export {
  AGG_COUNT,
  AGG_DISABLED_S,
  AGG_LENGTH,
  AGG_REPORTING,
  AGG_UNCONTROLLED_KW,
  CLASS_CAPPED,
  CLASS_COUNT,
  CLASS_UNFAIR,
  CONTROL_LENGTH,
  controlIndex,
  SLOT_DF,
  SLOT_DR,
  SLOT_EF,
  SLOT_ER,
  SLOTS_PER_TIER,
} from './layout.js';
export { enabledDemandKw, reportFleet } from './measure.js';
export { AIR_CONDITIONER, BATTERY, EV_CHARGER, POOL_PUMP, WATER_HEATER } from './physics.js';
export { sliceFleet } from './slice.js';
export {
  type ControlVector,
  FleetStepper,
  newControlVector,
  newStepStats,
  type StepStats,
} from './stepper.js';
