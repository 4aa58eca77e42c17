/** Hours in the household's planning day: the day-ahead market's delivery hours. */
export { HOURS_PER_DAY } from '../../time/index.js';

/**
 * A controllable appliance job (Liu and Small's "smart appliance"): it must run `durationHours`
 * of the `windowHours` starting at `earliestHour` of the day, drawing `energyKwhPerHour` in each
 * running hour; an interruptible job may pause between hours.
 */
export interface ApplianceJob {
  id: string;
  earliestHour: number;
  windowHours: number;
  durationHours: number;
  interruptible: boolean;
  energyKwhPerHour: number;
}

/**
 * One household's day as its HEMS sees it before the day: hourly forecasts of its inflexible
 * load and PV production, its controllable jobs, and its economic limits (Horta et al. §4.4.1).
 */
export interface Household {
  id: string;
  /** inflexible load forecast per hour, kWh */
  loadKwh: readonly number[];
  /** PV production forecast per hour, kWh */
  pvKwh: readonly number[];
  jobs: readonly ApplianceJob[];
  /** the most the household pays for energy: its retail supply tariff, $/kWh */
  reservationUsdPerKwh: number;
  /** the least it accepts for energy it sells: its feed-in tariff, $/kWh */
  feedInUsdPerKwh: number;
  /** what the grid adds to the wholesale price for the energy a household buys, $/kWh */
  networkFeeUsdPerKwh: number;
  /** price acceptance's P_max and cost acceptance's cap per kWh of a job, $/kWh */
  acceptUsdPerKwh: number;
}

/** The four appliance patterns of the liu-small seed. */
export const PATTERNS = ['normal', 'prediction', 'costAcceptance', 'priceAcceptance'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** Forecasts made at hour h of the day for the hours h, h+1, … (index 0 is hour h itself). */
export type DayForecast = (hour: number) => readonly number[];
