import { InvalidValueError } from '../../errors/index.js';
import type { Prng } from '../../random/index.js';
import { FLAG_OFFLINE, type Fleet } from './fleet.js';
import { STATE_DF, STATE_DR, STATE_ER, TIER_BLACK } from './kinds.js';

function checkFraction(field: string, fraction: number): void {
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1))
    throw new InvalidValueError(`fleet disturbance ${field}: must lie in [0, 1], got ${fraction}`);
}

/**
 * A share of the controlled devices stops answering: its relays fail safe, so each such device
 * is enabled from now on and its demand is metered but can no longer be switched. Returns how
 * many devices dropped out.
 */
export function dropOut(fleet: Fleet, fraction: number, rng: Prng): number {
  checkFraction('dropOut fraction', fraction);
  let count = 0;
  for (let i = 0; i < fleet.size; i++) {
    if (fleet.tier[i] === TIER_BLACK || (fleet.flags[i] & FLAG_OFFLINE) !== 0) continue;
    if (rng.next() >= fraction) continue;
    fleet.flags[i] |= FLAG_OFFLINE;
    fleet.state[i] = STATE_ER;
    fleet.timerS[i] = 0;
    count++;
  }
  return count;
}

/**
 * Customers override a share of the disabled devices at once (a hot afternoon, an announcement):
 * each is enabled and starts its enabled refractory period, as an override does. Returns how many.
 */
export function overrideDisabled(fleet: Fleet, fraction: number, rng: Prng): number {
  checkFraction('overrideDisabled fraction', fraction);
  const timers = fleet.spec.timers;
  const fixed = [timers.green.enabledFixedS, timers.yellow.enabledFixedS, timers.red.enabledFixedS];
  const variable = [timers.green.enabledVarS, timers.yellow.enabledVarS, timers.red.enabledVarS];
  let count = 0;
  for (let i = 0; i < fleet.size; i++) {
    const st = fleet.state[i] & 3;
    if ((st !== STATE_DF && st !== STATE_DR) || (fleet.flags[i] & FLAG_OFFLINE) !== 0) continue;
    if (rng.next() >= fraction) continue;
    const t = fleet.tier[i];
    fleet.state[i] = STATE_ER;
    fleet.timerS[i] = fixed[t] + variable[t] * rng.next();
    count++;
  }
  return count;
}
