import { z } from 'zod';
import { InvalidValueError, schemaRefusal } from '../errors/index.js';

const kw = z.number().finite().nonnegative();

/**
 * One prosumer site of a feeder: where it connects, its inflexible demand (the feeder's Load of
 * the same name carries it at base load) and its DER. Descriptive fields an inventory may carry
 * besides these (service transformer, use) are kept out of the simulation.
 */
const prosumerSchema = z.object({
  id: z.string().min(1),
  bus: z.string().min(1),
  /** the bus's phase nodes it connects to (1–3) */
  phases: z.array(z.number().int().min(1).max(3)).min(1).max(3),
  kind: z.enum(['residential', 'commercial']).default('residential'),
  /** average demand of its inflexible appliances, kW */
  baseLoadKw: kw,
  /** power factor of its demand */
  pf: z.number().gt(0).max(1).default(0.95),
  pvKwp: kw.default(0),
  battery: z
    .object({ energyKwh: z.number().finite().positive(), powerKw: z.number().finite().positive() })
    .nullish(),
  ev: z.object({ chargers: z.number().int().nonnegative(), powerKwEach: kw }).nullish(),
  thermostatic: z
    .object({
      acUnits: z.number().int().nonnegative().default(0),
      acKwEach: kw.default(0),
      waterHeaters: z.number().int().nonnegative().default(0),
      waterHeaterKwEach: kw.default(0),
    })
    .nullish(),
  microgrid: z.string().min(1),
  vpp: z.string().min(1),
});

export const inventorySchema = z.object({
  seed: z.number().int().optional(),
  prosumers: z.array(prosumerSchema).min(1),
});

export type ProsumerSite = z.infer<typeof prosumerSchema>;
export type Inventory = z.infer<typeof inventorySchema>;

/** Validates a DER inventory; the error names every bad field by its path (prosumers.12.bus). */
export function parseInventory(doc: unknown, source = 'inventory'): Inventory {
  const r = inventorySchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  const seen = new Set<string>();
  r.data.prosumers.forEach((p, i) => {
    if (seen.has(p.id)) throw new InvalidValueError(`${source}: prosumers.${i}.id: "${p.id}" appears twice`);
    seen.add(p.id);
  });
  return r.data;
}
