import { FLAG_OFFLINE, type Fleet, GROUP_SIZE } from './fleet.js';
import { STATE_DF, STATE_EF, STATE_ER, TIER_BLACK } from './kinds.js';
import {
  AGG_COUNT,
  AGG_DISABLED_S,
  AGG_LENGTH,
  AGG_REPORTING,
  AGG_UNCONTROLLED_KW,
  SLOT_DF,
  SLOT_DR,
  SLOT_ER,
  SLOTS_PER_TIER,
} from './layout.js';

/**
 * Fills the leaf sums of the aggregation tree from the fleet as it stands, without moving it: the
 * state estimate a controller starts from. (Rounds report as part of their step.)
 */
export function reportFleet(fleet: Fleet, groupReports: Uint8Array): void {
  const { partials, state, tier, flags, demandKw, disabledS } = fleet;
  partials.fill(0);
  for (let g = 0, start = 0; start < fleet.size; g++, start += GROUP_SIZE) {
    if (groupReports[g] !== 1) continue;
    const base = g * AGG_LENGTH;
    const end = Math.min(fleet.size, start + GROUP_SIZE);
    for (let i = start; i < end; i++) {
      partials[base + AGG_REPORTING] += 1;
      if ((flags[i] & FLAG_OFFLINE) !== 0) {
        partials[base + AGG_UNCONTROLLED_KW] += demandKw[i];
        continue;
      }
      const st = state[i] & 3;
      const cls = state[i] >> 2;
      const t = tier[i];
      const slot =
        st === STATE_EF ? cls : st === STATE_ER ? SLOT_ER : st === STATE_DF ? SLOT_DF + cls : SLOT_DR;
      partials[base + t * SLOTS_PER_TIER + slot] += demandKw[i];
      if (t !== TIER_BLACK) {
        partials[base + AGG_DISABLED_S + t] += disabledS[i];
        partials[base + AGG_COUNT + t] += 1;
      }
    }
  }
}

/** Enabled demand counted device by device (the truth a sampled estimate approximates), kW. */
export function enabledDemandKw(fleet: Fleet): number {
  let kw = 0;
  for (let i = 0; i < fleet.size; i++) {
    const st = fleet.state[i] & 3;
    if (st <= STATE_ER || (fleet.flags[i] & FLAG_OFFLINE) !== 0 || fleet.tier[i] === TIER_BLACK)
      kw += fleet.demandKw[i];
  }
  return kw;
}
