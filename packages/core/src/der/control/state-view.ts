import {
  AGG_UNCONTROLLED_KW,
  CLASS_COUNT,
  SLOT_DF,
  SLOT_DR,
  SLOT_EF,
  SLOT_ER,
  SLOTS_PER_TIER,
  TIER_COUNT,
} from '../devices/index.js';

/** Readers of the estimated state vector ŝ(t), all in kW. */
export const efKw = (s: Float64Array, tier: number, cls: number): number =>
  s[tier * SLOTS_PER_TIER + SLOT_EF + cls];
export const dfKw = (s: Float64Array, tier: number, cls: number): number =>
  s[tier * SLOTS_PER_TIER + SLOT_DF + cls];
export const erKw = (s: Float64Array, tier: number): number => s[tier * SLOTS_PER_TIER + SLOT_ER];
export const drKw = (s: Float64Array, tier: number): number => s[tier * SLOTS_PER_TIER + SLOT_DR];

export function efTierKw(s: Float64Array, tier: number): number {
  let kw = 0;
  for (let c = 0; c < CLASS_COUNT; c++) kw += efKw(s, tier, c);
  return kw;
}

export function dfTierKw(s: Float64Array, tier: number): number {
  let kw = 0;
  for (let c = 0; c < CLASS_COUNT; c++) kw += dfKw(s, tier, c);
  return kw;
}

export const enabledTierKw = (s: Float64Array, tier: number): number => efTierKw(s, tier) + erKw(s, tier);
export const tierDemandKw = (s: Float64Array, tier: number): number =>
  enabledTierKw(s, tier) + dfTierKw(s, tier) + drKw(s, tier);
export const uncontrolledKw = (s: Float64Array): number => s[AGG_UNCONTROLLED_KW];

/** Total enabled demand over all tiers plus the drop-outs, which fail safe to enabled. */
export function enabledKw(s: Float64Array): number {
  let kw = uncontrolledKw(s);
  for (let t = 0; t < TIER_COUNT; t++) kw += enabledTierKw(s, t);
  return kw;
}

/** What the fleet would draw with every device enabled. */
export function totalDemandKw(s: Float64Array): number {
  let kw = uncontrolledKw(s);
  for (let t = 0; t < TIER_COUNT; t++) kw += tierDemandKw(s, t);
  return kw;
}
