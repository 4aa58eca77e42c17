/**
 * Typical residential device physics. Thermostatic loads use the first-order equivalent
 * thermal model T' = (T_eq − T)/τ, integrated exactly over a round: T ← T_eq + (T − T_eq)·e^(−Δt/τ),
 * where T_eq is the temperature the device would settle at with its compressor/element on or off.
 */
export const AIR_CONDITIONER = {
  ratedKw: [2.5, 4.5] as const,
  timeConstantS: 7200,
  /** on, the room would settle this far below the outdoor temperature */
  coolingC: 20,
};

export const WATER_HEATER = {
  ratedKw: [3.5, 5.5] as const,
  ambientC: 20,
  /** standby loss time constant of the tank */
  timeConstantS: 36_000,
  /** on, the tank's equilibrium lies this far above ambient (so it heats ~19 °C/h at 55 °C) */
  heatingC: 230,
  /** hot-water draws: events per hour and the largest temperature drop of one event */
  drawsPerHour: 1.5,
  maxDrawDropC: 6,
};

export const EV_CHARGER = {
  ratedKw: [3.3, 11] as const,
  neededKwh: [5, 35] as const,
  departureS: [1800, 36_000] as const,
};

export const BATTERY = {
  ratedKw: [3, 7] as const,
  neededKwh: [0, 13.5] as const,
};

export const POOL_PUMP = {
  ratedKw: [0.75, 1.5] as const,
};

/** Per-round decay factor of an exponentially weighted count: it then reads as events per hour. */
export const hourlyDecay = (dtS: number): number => Math.exp(-dtS / 3600);
