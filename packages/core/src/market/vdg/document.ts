import { z } from 'zod';
import { schemaRefusal } from '../../errors/index.js';

const id = z.string().min(1).max(128);
const finite = z.number().finite();

const orderSchema = z.strictObject({
  id,
  participant: id,
  /** buy: draws up to kw at a price up to usdPerKwh; sell: injects up to kw at a price of at least usdPerKwh */
  side: z.enum(['buy', 'sell']),
  kw: finite.positive(),
  usdPerKwh: finite,
});

const vdgSchema = z.strictObject({
  id,
  /** e.g. residential DER, EV charging */
  kind: z.string().max(64).optional(),
  priority: z.number().int().min(1),
  capacityBidUsdPerKwh: finite.min(0),
  orders: z.array(orderSchema).max(100_000),
});

/** Several virtual distribution grids over one feeder line, each with its own market, for one interval. */
export const vdgDocumentSchema = z
  .strictObject({
    line: z.strictObject({
      id,
      /** what the DSO lets the VDGs use in each direction, kW: the line's rating less the feeder's other flow */
      capacityKw: finite.min(0),
    }),
    /** the feeder's price at the line, $/kWh: what energy through it costs (or earns) */
    feederUsdPerKwh: finite,
    intervalH: finite.positive(),
    vdgs: z.array(vdgSchema).min(1).max(1000),
  })
  .superRefine((doc, ctx) => {
    const vdgs = new Set<string>();
    const orders = new Set<string>();
    doc.vdgs.forEach((v, i) => {
      if (vdgs.has(v.id))
        ctx.addIssue({ code: 'custom', path: ['vdgs', i, 'id'], message: `"${v.id}" twice` });
      vdgs.add(v.id);
      v.orders.forEach((o, k) => {
        if (orders.has(o.id))
          ctx.addIssue({ code: 'custom', path: ['vdgs', i, 'orders', k, 'id'], message: `"${o.id}" twice` });
        orders.add(o.id);
      });
    });
  });

export type VdgDocument = z.infer<typeof vdgDocumentSchema>;
export type VdgDefinition = VdgDocument['vdgs'][number];
export type VdgOrder = VdgDefinition['orders'][number];

/** Reads a VDG document; a bad field is refused with its path (`vdgs.1.priority: …`). */
export function parseVdgDocument(doc: unknown, source = 'vdgs'): VdgDocument {
  const r = vdgDocumentSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}
