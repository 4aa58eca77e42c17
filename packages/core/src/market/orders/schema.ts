import { z } from 'zod';

const id = z.string().min(1, 'must not be empty');
const money = z.number().finite();
const kw = z.number().finite().min(0, 'must not be negative');
const phases = z.array(z.number().int().min(1).max(3)).min(1).max(3).optional();
const intervals = z.array(z.number().int().min(0)).optional();

/** One price-quantity step: up to quantityKw at price $/MWh. */
export const stepSchema = z.object({
  price: money,
  quantityKw: z.number().finite().positive('must be positive'),
});

const located = {
  id,
  participant: id,
  /** bus name as in the feeder */
  bus: id,
  /** phases the order is spread over, equally; default all phases the bus has */
  phases,
  /** intervals (0-based) the order is valid in; default all */
  intervals,
  /** power factor of the order, positive = same direction of Q as P; default 1 */
  powerFactor: z
    .number()
    .min(-1)
    .max(1)
    .refine((v) => v !== 0, 'must not be zero')
    .optional(),
};

export const offerSchema = z.object({
  type: z.literal('offer'),
  ...located,
  steps: z.array(stepSchema).min(1),
});
export const bidSchema = z.object({ type: z.literal('bid'), ...located, steps: z.array(stepSchema).min(1) });

/** A physical bilateral schedule: power moved from one bus to another, charged congestion and losses. */
export const bilateralSchema = z.object({
  type: z.literal('bilateral'),
  id,
  participant: id,
  fromBus: id,
  toBus: id,
  fromPhases: phases,
  toPhases: phases,
  quantityKw: kw,
  intervals,
});

/** A battery that the market dispatches against prices, keeping its state of charge feasible. */
export const storageSchema = z
  .object({
    type: z.literal('storage'),
    ...located,
    powerKw: z.number().finite().positive(),
    energyKwh: z.number().finite().positive(),
    initialSocPct: z.number().min(0).max(100).default(50),
    minSocPct: z.number().min(0).max(100).default(0),
    maxSocPct: z.number().min(0).max(100).default(100),
    chargeEfficiency: z.number().gt(0).max(1).default(0.95),
    dischargeEfficiency: z.number().gt(0).max(1).default(0.95),
    /** wear cost per MWh discharged, $/MWh */
    cyclingCost: z.number().min(0).default(0),
  })
  .refine((s) => s.minSocPct <= s.initialSocPct && s.initialSocPct <= s.maxSocPct, {
    message: 'initialSocPct must lie between minSocPct and maxSocPct',
  });

export const orderSchema = z.discriminatedUnion('type', [
  offerSchema,
  bidSchema,
  bilateralSchema,
  storageSchema,
]);

export type Step = z.infer<typeof stepSchema>;
export type Offer = z.infer<typeof offerSchema>;
export type Bid = z.infer<typeof bidSchema>;
export type Bilateral = z.infer<typeof bilateralSchema>;
export type Storage = z.infer<typeof storageSchema>;
export type Order = z.infer<typeof orderSchema>;

/** Market-wide inputs besides the orders. */
export const marketSettingsSchema = z.object({
  market: z.enum(['dam', 'rtm']).default('dam'),
  /** number of intervals; DAM 24, RTM 1 unless given */
  intervals: z.number().int().positive().optional(),
  intervalMinutes: z.number().positive().optional(),
  /** ISO/TSO price at the substation per interval, $/MWh */
  isoPrices: z.array(money).optional(),
  importLimitKw: kw.optional(),
  exportLimitKw: kw.optional(),
  /** multiplier on the feeder's own loads per interval */
  loadMultipliers: z.array(z.number().finite().min(0)).optional(),
  voltageLimitsPu: z.tuple([z.number().positive(), z.number().positive()]).default([0.95, 1.05]),
  /** branch loading (fraction of normamps) at which a branch joins the critical set */
  criticalLoading: z.number().positive().max(1).default(0.9),
});

export type MarketSettings = z.infer<typeof marketSettingsSchema>;
