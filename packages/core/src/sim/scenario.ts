import { z } from 'zod';
import { schemaRefusal } from '../errors/index.js';

const usdPerKwh = z.union([
  z.number().finite().nonnegative(),
  z.array(z.number().finite().nonnegative()).length(24),
]);

/**
 * A day of the whole hierarchy on one feeder. The feeder script and the DER inventory are named
 * by path (relative to the scenario file) and read by the application; everything else is here.
 */
export const dayScenarioSchema = z
  .object({
    name: z.string().min(1).default('day'),
    feeder: z.string().min(1),
    inventory: z.string().min(1),
    seed: z.number().int().default(1),
    /** 1σ error of a site's day-ahead forecast of its hourly net energy, percent */
    forecastErrorPct: z.number().finite().min(0).max(100).default(10),
    /** the utility's top-down tariff, the baseline prosumers' savings are measured against */
    retailUsdPerKwh: usdPerKwh.default(0.3),
    feedInUsdPerKwh: usdPerKwh.default(0.08),
    /** the ISO's prices at the substation, $/MWh; a seeded synthetic day when absent */
    isoDayAheadUsdPerMwh: z.array(z.number().finite()).length(24).optional(),
    isoRealTimeUsdPerMwh: z.array(z.number().finite()).length(24).optional(),
    layer1Mechanism: z.enum(['uniform', 'pab', 'mda', 'merit']).default('uniform'),
    /** an undelivered ancillary commitment costs this many times its price */
    penaltyFactor: z.number().finite().min(1).default(2),
    /** the real-time market clears every this many minutes */
    rtmEveryMinutes: z.union([z.literal(5), z.literal(15), z.literal(30), z.literal(60)]).default(5),
    /** each VPP offers to shed this share of its fleet's demand, at this price, for at most this many hours */
    vpp: z
      .object({
        shedShare: z.number().finite().gt(0).max(0.9).default(0.2),
        offerUsdPerMwh: z.number().finite().default(60),
        maxHours: z.number().finite().positive().max(24).default(3),
        /**
         * devices of the VPP's fleet per air conditioner, water heater or charger of the
         * inventory: an aggregator steers many more devices than one feeder holds, in the same
         * shares; the shed is applied to the members as a share of their flexible demand
         */
        devicesPerUnit: z.number().int().positive().default(1),
      })
      .strict()
      .default({ shedShare: 0.2, offerUsdPerMwh: 60, maxHours: 3, devicesPerUnit: 1 }),
    voltageLimitsPu: z
      .tuple([z.number().positive(), z.number().positive()])
      .refine(([lo, hi]) => lo < hi, 'the lower limit must be below the upper')
      .default([0.95, 1.05]),
  })
  .strict();

export type DayScenario = z.infer<typeof dayScenarioSchema>;

/** Validates a day scenario; the error names every bad field by its path. */
export function parseDayScenario(doc: unknown, source = 'scenario'): DayScenario {
  const r = dayScenarioSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}

export const atHour = (p: number | number[], hour: number) =>
  typeof p === 'number' ? p : p[Math.floor(hour) % 24];
