import type { devices } from '../der/index.js';
/**
 * What the built-in agents and the world say to each other: market ids, account names and the
 * payloads of the events they publish. An outside client of the server sees the same markets
 * and the same public payloads.
 */

/** The markets of a day, by id. Layer I has one market per microgrid: `layer1/<microgrid>`. */
export const MARKETS = {
  lemDayAhead: 'lem-da',
  lemRealTime: 'lem-rt',
  intraday: 'intraday',
  ancillary: 'ancillary',
  layer3: 'layer3',
  flex: 'flex',
  layer1: (microgrid: string) => `layer1/${microgrid}`,
} as const;

/** Participants that are not households or VPPs. */
export const ACCOUNTS = {
  iso: 'iso',
  dso: 'dso',
  retailer: 'retailer',
} as const;

/** `iso.prices`: the ISO's prices at the substation, $/MWh, per interval from `startMs`. */
export interface IsoPrices {
  market: 'day-ahead' | 'real-time' | 'ancillary';
  startMs: number;
  intervalMinutes: number;
  usdPerMwh: number[];
}

/** `meter.readings`: every site's average net export over a five-minute interval, kW (− imports). */
export interface MeterReadings {
  startMs: number;
  intervalMinutes: number;
  /** site ids in the order of `netKw` (sent once, in the first readings of the day) */
  sites?: string[];
  netKw: number[];
  /** the part of each site's demand its VPP's devices drew, kW */
  flexKw: number[];
}

/** `dso.grid`: the AC state of the feeder the DSO solved from one interval's readings. */
export interface GridState {
  startMs: number;
  converged: boolean;
  minVoltagePu: number;
  maxVoltagePu: number;
  lossesKw: number;
  substationKw: number;
  /** nodes outside the voltage limits */
  violations: number;
  worstNode: string | null;
  /** buses whose voltage is below the lower limit / above the upper limit */
  lowBuses: string[];
  highBuses: string[];
  /** per bus of the feeder's map (`FeederMap.buses`), its phases' voltages in the map's order, pu (4 decimals) */
  busVoltagesPu?: number[][];
  /** per branch of the feeder's map, the highest conductor current over its normal rating, % (1 decimal) */
  branchLoadingPct?: number[];
}

/** The feeder as a map: buses (with their BusCoords where the script gives them) and the branches between them. */
export interface FeederMap {
  buses: { name: string; phases: number[]; x: number | null; y: number | null }[];
  /** lines and transformers: indices into `buses`, and the rating loading is measured against */
  branches: { name: string; from: number; to: number; normAmps: number }[];
}

/** `dso.flag`: a red flag to a VPP (Mishra §3.4.1): its members on these buses should move by reliefKw. */
export interface RedFlag {
  startMs: number;
  /** a violation, or a voltage inside the DSO's alarm band next to the limit */
  kind: 'under-voltage' | 'under-voltage-alarm' | 'over-voltage';
  buses: string[];
  /** demand the DSO asks the VPP to drop (+) or add (−), kW */
  reliefKw: number;
  /** reliefKw as a share of the flexible demand it was asked of (the same for every VPP flagged at once) */
  reliefShare?: number;
  /** the buses whose voltage is past the limit or inside the alarm band (those of the feeder, not only the VPP's) */
  alarmBuses?: string[];
}

/**
 * `dso.flex-call`: the DSO buys up to `reliefKw` of demand reduction over [fromMs, toMs) in the
 * flex market's session `session` (Horta §5.1.3); VPPs and households answer with asks.
 */
export interface FlexCall {
  session: string;
  fromMs: number;
  toMs: number;
  reliefKw: number;
}

/** `vpp.goal`: the demand a VPP allows its fleet over an interval, kW; Infinity-free: null is "no limit". */
export interface FleetGoal {
  vpp: string;
  startMs: number;
  goalKw: number | null;
  /** why: the day-ahead schedule, an ancillary commitment, a real-time price, a red flag */
  reasons: string[];
  /**
   * regulation committed in Layer II for this interval: the fleet's demand follows
   * goalKw − capacityKw × signal, one value of the ISO's signal per step
   */
  regulation?: { capacityKw: number; stepS: number; signal: number[] };
}

/**
 * `iso.regulation`: the ISO's regulation signal (RegD) for a quarter hour, in [−1, 1] (+1: the
 * most up-regulation, for a load the least demand), one value per step. Sent ahead of the quarter,
 * a batch of what a real ISO sends every few seconds.
 */
export interface RegulationSignal {
  startMs: number;
  stepS: number;
  signal: number[];
}

/** A quarter hour of regulation as the fleet followed it, scored as PJM scores regulating resources. */
export interface RegulationScore {
  quarterStartMs: number;
  capacityKw: number;
  accuracy: number;
  delay: number;
  precision: number;
  composite: number;
}

/** `world.fleet`: what a VPP's fleet did over an interval (its devices' aggregate telemetry). */
export interface FleetTelemetry {
  vpp: string;
  startMs: number;
  fullKw: number;
  enabledKw: number;
  /** the enabled demand by the customers' colour tier (green is shed first, black never), kW */
  enabledByTierKw: Record<devices.TierName, number>;
  /** at the last interval of a quarter hour of committed regulation: its PJM performance score */
  regulation?: RegulationScore;
  goalKw: number | null;
  rmsTrackingErrorPct: number;
  devices: number;
}

/** `household.plan`: a household's day-ahead plan as its HEMS made it. */
export interface HouseholdPlan {
  household: string;
  /** expected surplus (+) or deficit (−) per hour, kWh */
  netKwh: number[];
  /** the appliance jobs' planned energy per hour, kWh */
  jobKwh: number[];
  jobs: { id: string; hours: number[]; energyKwhPerHour: number; interruptible: boolean }[];
}

/**
 * `household.defer`: a household moves appliance energy out of a costly time: `kwh` spread
 * over `spanMs` from `fromMs` to the same span from `toMs` (an interruptible job's next
 * interval, or a job not yet started as a whole).
 */
export interface Deferral {
  household: string;
  job: string;
  fromMs: number;
  toMs: number;
  spanMs: number;
  kwh: number;
  usdPerKwh: number;
}

/**
 * `household.rule`: one of the home's own rules acted on (or was refused) a resource of the
 * home over [fromMs, toMs): `done` only when the household held that resource's lease, so a rule
 * never overrides the VPP while it controls the devices it bought (Horta §5.2).
 */
export interface RuleAction {
  household: string;
  rule: string;
  resource: string;
  command: 'off';
  fromMs: number;
  toMs: number;
  done: boolean;
  reason?: string;
}

/** `retailer.statement`: what a household owes its retailer for an hour, and under which contract. */
export interface Statement {
  household: string;
  startMs: number;
  importKwh: number;
  exportKwh: number;
  /** paid (−) or received (+) by the household, $ */
  usd: number;
  contract: 'spot' | 'forward' | 'option' | 'none';
  /** what the baselines would have billed for the same metered energy, $ (− paid) */
  netMeteringUsd: number;
  retailFeedInUsd: number;
}
