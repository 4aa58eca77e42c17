/**
 * The vocabulary of the fleet: device kinds, service tiers ("colours") and the four control
 * states of the modified Markov model. Numeric codes because the fleet stores them in typed arrays.
 */
export const DEVICE_KINDS = ['airConditioner', 'waterHeater', 'evCharger', 'battery', 'poolPump'] as const;
export type DeviceKindName = (typeof DEVICE_KINDS)[number];

export const KIND_AIR_CONDITIONER = 0;
export const KIND_WATER_HEATER = 1;
export const KIND_EV_CHARGER = 2;
export const KIND_BATTERY = 3;
export const KIND_POOL_PUMP = 4;

/** Green is shed first, yellow at peak, red only in emergencies, black never. */
export const TIERS = ['green', 'yellow', 'red', 'black'] as const;
export type TierName = (typeof TIERS)[number];
export const CONTROLLED_TIERS = ['green', 'yellow', 'red'] as const;
export type ControlledTierName = (typeof CONTROLLED_TIERS)[number];
export const TIER_COUNT = 4;
export const CONTROLLED_TIER_COUNT = 3;
export const TIER_GREEN = 0;
export const TIER_YELLOW = 1;
export const TIER_RED = 2;
export const TIER_BLACK = 3;

/** Enabled-Flexible, Enabled-Refractory, Disabled-Flexible, Disabled-Refractory. */
export const STATE_EF = 0;
export const STATE_ER = 1;
export const STATE_DF = 2;
export const STATE_DR = 3;
export const STATE_NAMES = ['EF', 'ER', 'DF', 'DR'] as const;

export const isEnabledState = (state: number): boolean => state === STATE_EF || state === STATE_ER;
