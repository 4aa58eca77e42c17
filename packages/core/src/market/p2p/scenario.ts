import { z } from 'zod';
import { schemaRefusal } from '../../errors/index.js';
import { HOURS_PER_DAY } from '../../time/index.js';

const range = (lo: number, hi: number) =>
  z
    .tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()])
    .refine(([a, b]) => a <= b, 'the first value must not exceed the second')
    .default([lo, hi]);

/** A price, $/kWh: one value for the whole day or 24 hourly values. */
const dayPrice = (fallback: number) =>
  z.union([z.number().finite(), z.array(z.number().finite()).length(HOURS_PER_DAY)]).default(fallback);

/**
 * A day of the three-layer hierarchy: synthetic prosumers (PV, load) grouped in microgrids
 * under feeder VPPs, the utility's retail and feed-in tariffs, and the ISO's ancillary prices.
 */
/** The most prosumers one scenario may have (VPPs × microgrids × prosumers): a day of them fits in memory. */
export const MAX_P2P_PROSUMERS = 100_000;

export const p2pScenarioSchema = z
  .object({
    seed: z.number().int().default(1),
    vpps: z.number().int().positive().max(MAX_P2P_PROSUMERS).default(3),
    microgridsPerVpp: z.number().int().positive().max(MAX_P2P_PROSUMERS).default(4),
    prosumersPerMicrogrid: z.number().int().positive().max(MAX_P2P_PROSUMERS).default(20),
    /** share of prosumers with rooftop PV */
    pvShare: z.number().min(0).max(1).default(0.6),
    pvKwp: range(3, 8),
    loadKwhPerDay: range(8, 20),
    retailPerKwh: dayPrice(0.3),
    feedInPerKwh: dayPrice(0.08),
    /** the ISO's 15-minute ancillary (regulation-up) price, hourly; by default a synthetic day */
    ancillaryPerKwh: z.array(z.number().finite()).length(HOURS_PER_DAY).optional(),
    /** an undelivered ancillary commitment costs this many times its price */
    penaltyFactor: z.number().finite().min(1).default(2),
    /** 1σ error of a prosumer's 30-minute-ahead forecast of its net energy, percent */
    forecastErrorPct: z.number().finite().min(0).max(100).default(10),
    layer1Mechanism: z.enum(['uniform', 'pab', 'mda', 'merit']).default('uniform'),
    communityBattery: z
      .object({ energyKwh: z.number().finite().positive(), powerKw: z.number().finite().positive() })
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const n = s.vpps * s.microgridsPerVpp * s.prosumersPerMicrogrid;
    if (n > MAX_P2P_PROSUMERS)
      ctx.addIssue({
        code: 'custom',
        path: ['prosumersPerMicrogrid'],
        message: `vpps × microgridsPerVpp × prosumersPerMicrogrid is ${n}; at most ${MAX_P2P_PROSUMERS} prosumers`,
      });
  });

export type P2pScenario = z.infer<typeof p2pScenarioSchema>;

/** Validates a scenario; the error names every bad field with its path. */
export function parseP2pScenario(doc: unknown, source = 'scenario'): P2pScenario {
  const r = p2pScenarioSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}
