import { z } from 'zod';
import { schemaRefusal } from '../errors/index.js';
import { HOURS_PER_DAY } from '../time/index.js';
import { feederInventoryOptionsSchema } from './feeder-inventory.js';

/** The scenario's `inventory` that places the prosumers at the feeder's own loads (inventoryFromFeeder). */
export const FROM_FEEDER = 'from-feeder';

/** The markets a day can run, by name. */
export const MARKET_NAMES = [
  'lem-day-ahead',
  'lem-real-time',
  'layer1',
  'ancillary',
  'layer3',
  'intraday',
  'flex',
] as const;
/** The built-in agents' kinds. */
export const AGENT_KINDS = ['iso', 'retailer', 'household', 'vpp', 'dso'] as const;

const usdPerKwh = z.union([
  z.number().finite().nonnegative(),
  z.array(z.number().finite().nonnegative()).length(HOURS_PER_DAY),
]);

/**
 * A day of the whole hierarchy on one feeder. The feeder script and the DER inventory are named
 * by path (relative to the scenario file) and read by the application; everything else is here.
 */
export const dayScenarioSchema = z
  .object({
    name: z.string().min(1).default('day'),
    /** the delivery day (UTC); the day-ahead market's gate closes the day before */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((d) => Number.isFinite(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date')
      .default('2026-07-01'),
    /** the markets that run; all by default */
    markets: z
      .array(z.enum(MARKET_NAMES))
      .min(1)
      .default([...MARKET_NAMES]),
    /** the kinds of built-in agents that take part; all by default */
    agents: z
      .array(z.enum(AGENT_KINDS))
      .min(1)
      .default([...AGENT_KINDS]),
    /** the DSO's charge on every kWh bought in the peer-to-peer markets and imported from the retailer, $/kWh */
    networkChargeUsdPerKwh: z.number().finite().min(0).max(1).default(0.04),
    feeder: z.string().min(1),
    /** a DER inventory file (der.json's shape), or "from-feeder": prosumers at the feeder's own loads */
    inventory: z.string().min(1).default(FROM_FEEDER),
    /** the mix of the inventory made from the feeder; only with `inventory: "from-feeder"` */
    feederInventory: feederInventoryOptionsSchema.optional(),
    seed: z.number().int().default(1),
    /** 1σ error of a site's day-ahead forecast of its hourly net energy, percent */
    forecastErrorPct: z.number().finite().min(0).max(100).default(10),
    /** the utility's top-down tariff, the baseline prosumers' savings are measured against */
    retailUsdPerKwh: usdPerKwh.default(0.3),
    feedInUsdPerKwh: usdPerKwh.default(0.08),
    /** the ISO's prices at the substation, $/MWh; a seeded synthetic day when absent */
    isoDayAheadUsdPerMwh: z.array(z.number().finite()).length(HOURS_PER_DAY).optional(),
    isoRealTimeUsdPerMwh: z.array(z.number().finite()).length(HOURS_PER_DAY).optional(),
    layer1Mechanism: z.enum(['uniform', 'pab', 'mda', 'merit']).default('uniform'),
    /** an undelivered ancillary commitment costs this many times its price */
    penaltyFactor: z.number().finite().min(1).default(2),
    /**
     * each VPP offers `forwardShare` of its fleet's confident reduction (its supply function) day
     * ahead, green at `offerUsdPerMwh` (yellow at twice, red at five times), at most `maxHours`
     * hours' energy; the rest serves Layer II, Layer III and real time
     */
    vpp: z
      .object({
        forwardShare: z.number().finite().gt(0).max(1).default(0.7),
        offerUsdPerMwh: z.number().finite().default(60),
        maxHours: z.number().finite().positive().max(HOURS_PER_DAY).default(3),
        /**
         * devices of the VPP's fleet per air conditioner, water heater or charger of the
         * inventory: an aggregator steers many more devices than one feeder holds, in the same
         * shares; the shed is applied to the members as a share of their flexible demand
         */
        devicesPerUnit: z.number().int().positive().max(1000).default(1),
      })
      .strict()
      .default({ forwardShare: 0.7, offerUsdPerMwh: 60, maxHours: 3, devicesPerUnit: 1 }),
    /** the DSO flags buses whose voltage comes this close to a limit (an alarm band inside the limits), pu */
    dsoAlarmBandPu: z.number().finite().min(0).max(0.1).default(0.01),
    voltageLimitsPu: z
      .tuple([z.number().positive(), z.number().positive()])
      .refine(([lo, hi]) => lo < hi, 'the lower limit must be below the upper')
      .default([0.95, 1.05]),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.feederInventory !== undefined && s.inventory !== FROM_FEEDER)
      ctx.addIssue({
        code: 'custom',
        path: ['feederInventory'],
        message: `applies only to inventory "${FROM_FEEDER}", not to the inventory file "${s.inventory}"`,
      });
  });

export type DayScenario = z.infer<typeof dayScenarioSchema>;

/** Validates a day scenario; the error names every bad field by its path. */
export function parseDayScenario(doc: unknown, source = 'scenario'): DayScenario {
  const r = dayScenarioSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}
