import { InvalidValueError } from '../../errors/index.js';
import {
  CONTROLLED_TIERS,
  type ControlledTierName,
  DEVICE_KINDS,
  type DeviceKindName,
  TIERS,
  type TierName,
} from './kinds.js';

/** Refractory timing of a tier: ER→EF after enabledFixedS + U(0, enabledVarS), DR→DF likewise. */
export interface TierTimers {
  enabledFixedS: number;
  enabledVarS: number;
  disabledFixedS: number;
  disabledVarS: number;
}

export interface AirConditionerComfort {
  setpointC: number;
  /** thermostat switches at setpoint ± deadbandC */
  deadbandC: number;
  /** a disabled unit is overridden once the room is this much above the setpoint */
  maxRiseC: number;
}

export interface WaterHeaterComfort {
  setpointC: number;
  deadbandC: number;
  /** a disabled heater is overridden once the tank is this much below the setpoint */
  maxDropC: number;
}

/** A fleet as data: what is built from it is reproducible from the spec and a seed. */
export interface FleetSpec {
  devices: Record<DeviceKindName, number>;
  /** share of each kind's devices in each tier; the shares add up to 1 */
  tierShares: Record<TierName, number>;
  timers: Record<ControlledTierName, TierTimers>;
  /** switches per hour (decaying count) above which a device prefers not to be switched */
  maxCyclesPerHour: Record<ControlledTierName, number>;
  comfort: { airConditioner: AirConditionerComfort; waterHeater: WaterHeaterComfort };
  outdoorC: number;
  /** an EV is forced on when its remaining charge needs all but this many seconds before departure */
  evDepartureMarginS: number;
  /** rate at which a customer overrides a disabled device, per device-hour */
  customerOverridesPerHour: number;
}

export type FleetSpecInput = Partial<Omit<FleetSpec, 'devices'>> & {
  devices: Partial<Record<DeviceKindName, number>>;
};

const DEFAULT_TIMERS: Record<ControlledTierName, TierTimers> = {
  green: { enabledFixedS: 60, enabledVarS: 60, disabledFixedS: 120, disabledVarS: 120 },
  yellow: { enabledFixedS: 90, enabledVarS: 90, disabledFixedS: 180, disabledVarS: 180 },
  red: { enabledFixedS: 120, enabledVarS: 120, disabledFixedS: 300, disabledVarS: 300 },
};

/** A residential mix: mostly thermostatic loads, some EVs, batteries and pool pumps. */
export function defaultFleetSpec(deviceCount: number): FleetSpec {
  const share = { airConditioner: 0.45, waterHeater: 0.25, evCharger: 0.12, battery: 0.08, poolPump: 0.1 };
  const devices = {} as Record<DeviceKindName, number>;
  let assigned = 0;
  for (const k of DEVICE_KINDS) {
    devices[k] = Math.floor(deviceCount * share[k]);
    assigned += devices[k];
  }
  // the rounding remainder goes to the largest group so the total is exact
  devices.airConditioner += deviceCount - assigned;
  return {
    devices,
    tierShares: { green: 0.5, yellow: 0.3, red: 0.15, black: 0.05 },
    timers: structuredClone(DEFAULT_TIMERS),
    maxCyclesPerHour: { green: 12, yellow: 8, red: 4 },
    comfort: {
      airConditioner: { setpointC: 23, deadbandC: 1, maxRiseC: 3 },
      waterHeater: { setpointC: 55, deadbandC: 3, maxDropC: 10 },
    },
    outdoorC: 35,
    evDepartureMarginS: 900,
    customerOverridesPerHour: 0.05,
  };
}

function fail(field: string, message: string, value: unknown): never {
  throw new InvalidValueError(`fleet spec ${field}: ${message}, got ${JSON.stringify(value)}`, {
    details: { field, value },
  });
}

function num(field: string, v: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a finite number', v);
  if (v < min || v > max) fail(field, `must lie in [${min}, ${max}]`, v);
  return v;
}

function record(field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object', v);
  return v as Record<string, unknown>;
}

function onlyKeys(field: string, v: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(v))
    if (!keys.includes(k)) fail(`${field}.${k}`, `is not one of ${keys.join(', ')}`, k);
}

/**
 * Validates a JSON fleet spec, filling what it leaves out from `defaultFleetSpec`; every error
 * names the offending field.
 */
export function parseFleetSpec(input: unknown): FleetSpec {
  const root = record('', input);
  onlyKeys('', root, [
    'devices',
    'tierShares',
    'timers',
    'maxCyclesPerHour',
    'comfort',
    'outdoorC',
    'evDepartureMarginS',
    'customerOverridesPerHour',
  ]);
  const devicesIn = record('devices', root.devices);
  onlyKeys('devices', devicesIn, DEVICE_KINDS);
  const devices = {} as Record<DeviceKindName, number>;
  let total = 0;
  for (const k of DEVICE_KINDS) {
    const n = devicesIn[k] ?? 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      fail(`devices.${k}`, 'must be a non-negative integer', n);
    devices[k] = n;
    total += n;
  }
  if (total === 0) fail('devices', 'must count at least one device', devicesIn);
  if (total > 50_000_000) fail('devices', 'must count at most 50,000,000 devices', total);
  const spec = defaultFleetSpec(total);
  spec.devices = devices;

  if (root.tierShares !== undefined) {
    const t = record('tierShares', root.tierShares);
    onlyKeys('tierShares', t, TIERS);
    let sum = 0;
    for (const tier of TIERS) {
      spec.tierShares[tier] = num(`tierShares.${tier}`, t[tier] ?? 0, 0, 1);
      sum += spec.tierShares[tier];
    }
    if (Math.abs(sum - 1) > 1e-9) fail('tierShares', 'must add up to 1', sum);
  }
  if (root.timers !== undefined) {
    const t = record('timers', root.timers);
    onlyKeys('timers', t, CONTROLLED_TIERS);
    for (const tier of CONTROLLED_TIERS) {
      if (t[tier] === undefined) continue;
      const tt = record(`timers.${tier}`, t[tier]);
      const keys = ['enabledFixedS', 'enabledVarS', 'disabledFixedS', 'disabledVarS'] as const;
      onlyKeys(`timers.${tier}`, tt, keys);
      for (const k of keys)
        if (tt[k] !== undefined) spec.timers[tier][k] = num(`timers.${tier}.${k}`, tt[k], 0, 86_400);
    }
  }
  if (root.maxCyclesPerHour !== undefined) {
    const c = record('maxCyclesPerHour', root.maxCyclesPerHour);
    onlyKeys('maxCyclesPerHour', c, CONTROLLED_TIERS);
    for (const tier of CONTROLLED_TIERS)
      if (c[tier] !== undefined) spec.maxCyclesPerHour[tier] = num(`maxCyclesPerHour.${tier}`, c[tier], 0);
  }
  if (root.comfort !== undefined) {
    const c = record('comfort', root.comfort);
    onlyKeys('comfort', c, ['airConditioner', 'waterHeater']);
    if (c.airConditioner !== undefined) {
      const a = record('comfort.airConditioner', c.airConditioner);
      onlyKeys('comfort.airConditioner', a, ['setpointC', 'deadbandC', 'maxRiseC']);
      const ac = spec.comfort.airConditioner;
      if (a.setpointC !== undefined)
        ac.setpointC = num('comfort.airConditioner.setpointC', a.setpointC, 10, 35);
      if (a.deadbandC !== undefined)
        ac.deadbandC = num('comfort.airConditioner.deadbandC', a.deadbandC, 0.1, 5);
      if (a.maxRiseC !== undefined) ac.maxRiseC = num('comfort.airConditioner.maxRiseC', a.maxRiseC, 0.1, 15);
      if (ac.maxRiseC <= ac.deadbandC)
        fail('comfort.airConditioner.maxRiseC', `must exceed deadbandC (${ac.deadbandC})`, ac.maxRiseC);
    }
    if (c.waterHeater !== undefined) {
      const w = record('comfort.waterHeater', c.waterHeater);
      onlyKeys('comfort.waterHeater', w, ['setpointC', 'deadbandC', 'maxDropC']);
      const wh = spec.comfort.waterHeater;
      if (w.setpointC !== undefined) wh.setpointC = num('comfort.waterHeater.setpointC', w.setpointC, 30, 80);
      if (w.deadbandC !== undefined)
        wh.deadbandC = num('comfort.waterHeater.deadbandC', w.deadbandC, 0.1, 10);
      if (w.maxDropC !== undefined) wh.maxDropC = num('comfort.waterHeater.maxDropC', w.maxDropC, 0.1, 30);
      if (wh.maxDropC <= wh.deadbandC)
        fail('comfort.waterHeater.maxDropC', `must exceed deadbandC (${wh.deadbandC})`, wh.maxDropC);
    }
  }
  if (root.outdoorC !== undefined) spec.outdoorC = num('outdoorC', root.outdoorC, -40, 55);
  if (spec.outdoorC <= spec.comfort.airConditioner.setpointC + spec.comfort.airConditioner.deadbandC)
    fail(
      'outdoorC',
      'must be above the air-conditioner setpoint plus deadband (cooling season)',
      spec.outdoorC,
    );
  if (root.evDepartureMarginS !== undefined)
    spec.evDepartureMarginS = num('evDepartureMarginS', root.evDepartureMarginS, 0, 86_400);
  if (root.customerOverridesPerHour !== undefined)
    spec.customerOverridesPerHour = num('customerOverridesPerHour', root.customerOverridesPerHour, 0, 3600);
  return spec;
}

export const deviceCount = (spec: FleetSpec): number => DEVICE_KINDS.reduce((a, k) => a + spec.devices[k], 0);
