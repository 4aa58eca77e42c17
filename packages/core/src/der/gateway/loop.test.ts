import { describe, expect, it } from 'vitest';
import { buildFleet, DEVICE_KINDS, defaultFleetSpec, sliceFleet, TIERS } from '../devices/index.js';
import { decodeBroadcast } from './broadcast.js';
import { DeviceStates } from './device-states.js';
import { DeviceRegistry } from './registry.js';
import { SimulatedDevices } from './simulated-devices.js';
import { encodeTelemetry } from './telemetry.js';
import { VppLoop } from './vpp-loop.js';

const DT_S = 10;

/** The loop of the seed without a network: reports and broadcasts pass as the strings they would be. */
function setup(n: number, seed: number) {
  const fleet = buildFleet(defaultFleetSpec(n), seed);
  const registry = new DeviceRegistry();
  for (let i = 0; i < n; i++)
    registry.add(
      {
        id: `d${i}`,
        owner: `h${i}`,
        kind: DEVICE_KINDS[fleet.kind[i]],
        tier: TIERS[fleet.tier[i]],
        bus: 'b1',
        phase: 'a',
        vpp: 'v1',
      },
      `secret-of-device-${i}`,
      `salt${i}`,
    );
  const states = new DeviceStates(registry, { ratePerS: 100, burst: 100 });
  const devices = new SimulatedDevices(sliceFleet(fleet, 0, n, seed + 1), DT_S);
  const loop = new VppLoop(states, 'v1');
  for (let i = 0; i < n; i++) {
    states.status('v1', `d${i}`, 'online');
    states.telemetry('v1', `d${i}`, encodeTelemetry(devices.telemetry(i, 0)), 0, 0);
  }
  /** one round; `deliver(i)` says whether device i's messages get through */
  const round = (goalKw: number, deliver: (i: number) => boolean = () => true) => {
    const r = loop.next(goalKw);
    const b = decodeBroadcast(r.payload)!;
    for (let i = 0; i < n; i++) if (devices.connected[i] && deliver(i)) devices.heard(i, b.round);
    devices.step(b);
    for (let i = 0; i < n; i++)
      if (devices.connected[i] && deliver(i))
        states.telemetry(
          'v1',
          `d${i}`,
          encodeTelemetry(devices.telemetry(i, b.round)),
          b.round,
          r.round * 1000 * DT_S,
        );
    return { targetKw: r.control.targetKw, trueKw: devices.enabledKw() };
  };
  return { registry, states, devices, loop, round };
}

const rmsPct = (xs: { targetKw: number; trueKw: number }[]) =>
  100 * Math.sqrt(xs.reduce((a, x) => a + ((x.trueKw - x.targetKw) / x.targetKw) ** 2, 0) / xs.length);

describe('the VPP loop over reports and broadcasts', () => {
  it('2,000 devices track a step goal within 2 % rms, also with 5 % of messages lost', () => {
    for (const loss of [0, 0.05]) {
      const { round, devices } = setup(2000, 7);
      for (let k = 0; k < 3; k++) round(Number.POSITIVE_INFINITY);
      const base = devices.enabledKw();
      let drop = 1;
      const deliver = () => {
        drop = (drop * 16807) % 2147483647;
        return drop / 2147483647 >= loss;
      };
      const after = Array.from({ length: 40 }, () => round(0.8 * base, deliver)).slice(3);
      expect(rmsPct(after)).toBeLessThan(2);
    }
  });

  it('leaves dropped-out devices out and recovers within 5 rounds', () => {
    const { round, devices, states, loop } = setup(2000, 11);
    for (let k = 0; k < 3; k++) round(Number.POSITIVE_INFINITY);
    const goal = 0.8 * devices.enabledKw();
    for (let k = 0; k < 20; k++) round(goal);
    for (let i = 0; i < 2000; i += 10) {
      devices.disconnect(i);
      states.offline(`d${i}`);
    }
    for (let k = 0; k < 5; k++) round(goal);
    const after = Array.from({ length: 20 }, () => round(goal));
    expect(rmsPct(after)).toBeLessThan(2);
    expect(states.available('v1', loop.round)).toBe(1800);
  });
});
