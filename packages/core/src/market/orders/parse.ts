import { InvalidValueError } from '../../errors/index.js';
import {
  type MarketSettings,
  marketSettingsSchema,
  type Order,
  orderPrices,
  orderSchema,
  outsideBand,
} from './schema.js';

export interface RejectedOrder {
  /** the order's id where it has one, else its position */
  id: string;
  index: number;
  /** field path and reason, e.g. "steps.0.quantityKw: must be positive" */
  reasons: string[];
}

export interface ParsedOrders {
  settings: MarketSettings;
  orders: Order[];
  rejected: RejectedOrder[];
}

/**
 * Validates an orders document. Settings must be valid or nothing clears; each order is
 * checked on its own, so one bad order is rejected with its id and field while the rest
 * go on to the market. Duplicate ids, and orders quoting a price outside the market's band
 * (priceFloorUsdPerMwh … priceCapUsdPerMwh), are rejected too. `source` names the document in errors.
 */
export function parseOrders(doc: unknown, source = 'orders document'): ParsedOrders {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InvalidValueError(`${source}: must be a JSON object with market settings and "orders"`);
  const { orders: raw, ...rest } = doc as { orders?: unknown };
  const s = marketSettingsSchema.safeParse(rest);
  if (!s.success) {
    throw new InvalidValueError(
      `${source}: market settings: ${s.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      { details: { issues: s.error.issues } },
    );
  }
  if (!Array.isArray(raw)) throw new InvalidValueError(`${source}: orders: expected an array of orders`);
  const orders: Order[] = [];
  const rejected: RejectedOrder[] = [];
  const seen = new Set<string>();
  raw.forEach((o, index) => {
    const idOf = (x: unknown) =>
      typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string'
        ? (x as { id: string }).id
        : `#${index}`;
    const r = orderSchema.safeParse(o);
    if (!r.success) {
      rejected.push({
        id: idOf(o),
        index,
        reasons: r.error.issues.map((i) => `${i.path.join('.') || 'order'}: ${i.message}`),
      });
      return;
    }
    if (seen.has(r.data.id)) {
      rejected.push({ id: r.data.id, index, reasons: ['id: duplicate order id'] });
      return;
    }
    const outside = orderPrices(r.data).flatMap(([path, p]) => {
      const why = outsideBand(p, s.data);
      return why ? [`${path}: ${why}`] : [];
    });
    if (outside.length > 0) {
      rejected.push({ id: r.data.id, index, reasons: outside });
      return;
    }
    seen.add(r.data.id);
    orders.push(r.data);
  });
  return { settings: s.data, orders, rejected };
}
