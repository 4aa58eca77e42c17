import { describe, expect, it } from 'vitest';
import { Prng } from '../../random/index.js';
import {
  buildFleet,
  defaultFleetSpec,
  dropOut,
  enabledDemandKw,
  overrideDisabled,
} from '../devices/index.js';
import { FleetController } from './index.js';

const RECOVERY_ROUNDS = 5;

describe('robustness to drop-outs and overrides mid-event', () => {
  for (const [name, disturb] of [
    ['10% of devices drop out (fail-safe enabled)', dropOut],
    ['customers override 10% of the disabled devices', overrideDisabled],
  ] as const) {
    it(`recovers tracking when ${name}`, () => {
      const fleet = buildFleet(defaultFleetSpec(50_000), 31);
      const c = new FleetController(fleet, { dtS: 2 });
      const goal = 0.75 * c.enabledKw;
      for (let k = 0; k < 60; k++) c.round(goal);
      const hit = disturb(fleet, 0.1, new Prng(5));
      expect(hit).toBeGreaterThan(500);
      const jump = enabledDemandKw(fleet) / goal - 1;
      expect(jump).toBeGreaterThan(0.01);
      for (let k = 0; k < RECOVERY_ROUNDS; k++) c.round(goal);
      for (let k = 0; k < 100; k++) expect(Math.abs(c.round(goal).enabledKw / goal - 1)).toBeLessThan(0.01);
      expect(Math.abs(enabledDemandKw(fleet) / goal - 1)).toBeLessThan(0.01);
    });
  }
});
