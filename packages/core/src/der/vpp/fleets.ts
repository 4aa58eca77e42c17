import { type FleetSpec, parseFleetSpec } from '../devices/index.js';

/**
 * A regulation-grade fleet: mostly loads that can switch within a minute (resistive water
 * heaters, EV chargers, batteries) with short refractory periods, since a RegD signal reverses
 * faster than air-conditioner compressors may be cycled.
 */
export function regulationFleetSpec(deviceCount: number): FleetSpec {
  const n = deviceCount;
  const wh = Math.floor(0.4 * n);
  const ev = Math.floor(0.2 * n);
  const battery = Math.floor(0.2 * n);
  const pump = Math.floor(0.1 * n);
  const fast = { enabledFixedS: 20, enabledVarS: 20, disabledFixedS: 30, disabledVarS: 30 };
  return parseFleetSpec({
    devices: {
      waterHeater: wh,
      evCharger: ev,
      battery,
      poolPump: pump,
      airConditioner: n - wh - ev - battery - pump,
    },
    timers: { green: fast, yellow: { ...fast } },
  });
}
