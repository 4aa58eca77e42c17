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
  /** most energy the offer may deliver over the market's horizon, kWh */
  maxDailyEnergyKwh: kw.optional(),
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

/**
 * A three-part generator offer: start-up cost, no-load cost and an incremental curve above its
 * minimum output, with ramp limits and minimum up and down times. Committing it is a decision
 * of the market (unit commitment).
 */
export const generatorSchema = z
  .object({
    type: z.literal('generator'),
    ...located,
    pMinKw: kw,
    pMaxKw: z.number().finite().positive(),
    startupCost: money.min(0).default(0),
    /** $ per hour while committed */
    noLoadCostPerHour: money.min(0).default(0),
    /** price of the first pMinKw, $/MWh */
    minimumPrice: money.default(0),
    /** increments above pMinKw, in merit order */
    steps: z.array(stepSchema).default([]),
    rampUpKwPerHour: kw.optional(),
    rampDownKwPerHour: kw.optional(),
    minUpHours: z.number().min(0).default(0),
    minDownHours: z.number().min(0).default(0),
    initiallyOn: z.boolean().default(false),
    initialKw: kw.default(0),
    maxDailyEnergyKwh: kw.optional(),
  })
  .refine((g) => g.pMinKw <= g.pMaxKw, { message: 'pMinKw must not exceed pMaxKw', path: ['pMinKw'] })
  .refine((g) => g.steps.reduce((a, x) => a + x.quantityKw, 0) <= g.pMaxKw - g.pMinKw + 1e-9, {
    message: 'steps add up to more than pMaxKw − pMinKw',
    path: ['steps'],
  });

/**
 * A block order as European day-ahead markets define it: a profile over consecutive intervals
 * accepted all or nothing, or down to a minimum acceptance ratio; a child block may be
 * accepted only with its parent; at most one block of an exclusive group is accepted.
 */
export const blockSchema = z
  .object({
    type: z.literal('block'),
    id,
    participant: id,
    bus: id,
    phases,
    powerFactor: located.powerFactor,
    side: z.enum(['sell', 'buy']),
    /** limit price for the whole block, $/MWh */
    price: money,
    /** kW in each interval of the block, starting at firstInterval */
    profileKw: z.array(kw).min(1),
    firstInterval: z.number().int().min(0).default(0),
    minAcceptanceRatio: z.number().gt(0).max(1).default(1),
    parent: id.optional(),
    exclusiveGroup: id.optional(),
  })
  .transform((b) => ({ ...b, intervals: b.profileKw.map((_, i) => b.firstInterval + i) }));

export const orderSchema = z.union([
  z.discriminatedUnion('type', [offerSchema, bidSchema, bilateralSchema]),
  storageSchema,
  generatorSchema,
  blockSchema,
]);

export type Step = z.infer<typeof stepSchema>;
export type Offer = z.infer<typeof offerSchema>;
export type Bid = z.infer<typeof bidSchema>;
export type Bilateral = z.infer<typeof bilateralSchema>;
export type Storage = z.infer<typeof storageSchema>;
export type Generator = z.infer<typeof generatorSchema>;
export type Block = z.infer<typeof blockSchema>;
export type Order = z.infer<typeof orderSchema>;

/** The default price band of the market, $/MWh: a cap as ERCOT's, a floor as the European day-ahead market's. */
export const DEFAULT_PRICE_CAP_USD_PER_MWH = 5000;
export const DEFAULT_PRICE_FLOOR_USD_PER_MWH = -500;

/** Market-wide inputs besides the orders. */
export const marketSettingsSchema = z
  .object({
    market: z.enum(['dam', 'rtm']).default('dam'),
    /** the highest price an order or the ISO may quote, $/MWh (DEFAULT_PRICE_CAP_USD_PER_MWH if absent) */
    priceCapUsdPerMwh: money.optional(),
    /** the lowest, $/MWh; negative lets a seller pay to deliver (DEFAULT_PRICE_FLOOR_USD_PER_MWH if absent) */
    priceFloorUsdPerMwh: money.optional(),
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
    /**
     * Real-time only: the day-ahead result for this interval. Commitments are held fixed and
     * only deviations from the day-ahead schedules are settled, at the real-time price.
     */
    dayAhead: z
      .object({
        schedulesKw: z.record(z.string(), z.number().finite()).default({}),
        commitments: z.record(z.string(), z.union([z.literal(0), z.literal(1)])).default({}),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (!(priceFloor(s) < priceCap(s)))
      ctx.addIssue({
        code: 'custom',
        path: ['priceFloorUsdPerMwh'],
        message: 'must be below priceCapUsdPerMwh',
      });
    s.isoPrices?.forEach((p, i) => {
      const why = outsideBand(p, s);
      if (why) ctx.addIssue({ code: 'custom', path: ['isoPrices', i], message: why });
    });
  });

export type MarketSettings = z.infer<typeof marketSettingsSchema>;

type Band = { priceCapUsdPerMwh?: number; priceFloorUsdPerMwh?: number };
const priceCap = (s: Band) => s.priceCapUsdPerMwh ?? DEFAULT_PRICE_CAP_USD_PER_MWH;
const priceFloor = (s: Band) => s.priceFloorUsdPerMwh ?? DEFAULT_PRICE_FLOOR_USD_PER_MWH;

/** Why a price lies outside the market's band, if it does. */
export function outsideBand(price: number, s: Band): string | undefined {
  if (price > priceCap(s)) return `${price} $/MWh is above the price cap of ${priceCap(s)} $/MWh`;
  if (price < priceFloor(s)) return `${price} $/MWh is below the price floor of ${priceFloor(s)} $/MWh`;
  return undefined;
}

/** Every price an order quotes, $/MWh, with its field path. */
export function orderPrices(o: Order): [string, number][] {
  const steps = (list: readonly Step[]) =>
    list.map((x, i): [string, number] => [`steps.${i}.price`, x.price]);
  switch (o.type) {
    case 'offer':
    case 'bid':
      return steps(o.steps);
    case 'generator':
      return [['minimumPrice', o.minimumPrice], ...steps(o.steps)];
    case 'block':
      return [['price', o.price]];
    case 'storage':
      return [['cyclingCost', o.cyclingCost]];
    default:
      return [];
  }
}
