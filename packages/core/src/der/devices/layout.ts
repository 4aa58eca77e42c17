import { CONTROLLED_TIER_COUNT, TIER_COUNT } from './kinds.js';

/**
 * Layout of the aggregated state vector s(t): watts of demand per tier and state, with the
 * flexible states split into four priority classes so the controller can spend flexibility in
 * the order of its constraints (tier, then fairness, then cycling) without knowing any device.
 *
 * Class bits of a flexible device, set by the device from local information and the broadcast:
 *   bit 1 (value 2): switching it would worsen fairness (EF: it has already been disabled longer
 *                    than its tier's mean; DF: it has been disabled less than the mean);
 *   bit 0 (value 1): it is at its cycling limit.
 * So class 0 is the cheapest to switch and class 3 the dearest: violating cycling (bit 0) is
 * preferred to violating fairness (bit 1), which is the paper's order of constraints.
 */
export const CLASS_COUNT = 4;
export const CLASS_UNFAIR = 2;
export const CLASS_CAPPED = 1;

export const SLOTS_PER_TIER = 10;
/** EF class c is at slot c, ER at 4, DF class c at 5 + c, DR at 9 (within a tier). */
export const SLOT_EF = 0;
export const SLOT_ER = 4;
export const SLOT_DF = 5;
export const SLOT_DR = 9;

/** Demand of devices that left control (drop-outs): enabled, metered, not switchable. */
export const AGG_UNCONTROLLED_KW = TIER_COUNT * SLOTS_PER_TIER;
/** Sum of cumulative disabled seconds of the controlled, online devices of each tier. */
export const AGG_DISABLED_S = AGG_UNCONTROLLED_KW + 1;
/** Number of controlled, online devices of each tier. */
export const AGG_COUNT = AGG_DISABLED_S + TIER_COUNT;
/** Number of devices counted (to scale a sampled sum back to the fleet). */
export const AGG_REPORTING = AGG_COUNT + TIER_COUNT;
export const AGG_LENGTH = AGG_REPORTING + 1;

/** Index of a tier's flexible-class probability in the control vector. */
export const CONTROL_LENGTH = CONTROLLED_TIER_COUNT * CLASS_COUNT;
export const controlIndex = (tier: number, cls: number): number => tier * CLASS_COUNT + cls;
