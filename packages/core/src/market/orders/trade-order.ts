import { z } from 'zod';
import { InvalidValueError, schemaRefusal } from '../../errors/index.js';

/**
 * Time in force: GTC stays until cancelled or its market's gate closes; IOC fills what it can at
 * once and drops the rest; FOK fills entirely at once or not at all; GTD stays until `expiresAt`.
 */
export const timeInForceSchema = z.enum(['GTC', 'IOC', 'FOK', 'GTD']);

/**
 * One order of the peer-to-peer and transactive markets (call auctions, the order book, the
 * hierarchy's layers): buy or sell a quantity of energy (kWh) at a limit price ($/kWh or any one
 * currency unit per energy unit, the same for every order of a market).
 */
export const tradeOrderSchema = z
  .object({
    id: z.string().min(1),
    side: z.enum(['buy', 'sell']),
    /** limit or market; a market order has no price and takes what the book offers */
    type: z.enum(['limit', 'market']).default('limit'),
    price: z.number().finite().nonnegative().optional(),
    quantity: z.number().finite().positive(),
    owner: z.string().min(1).optional(),
    /** submission time, seconds of the market's clock; ties in price go to the earlier order */
    time: z.number().finite().nonnegative().optional(),
    bus: z.string().min(1).optional(),
    timeInForce: timeInForceSchema.default('GTC'),
    expiresAt: z.number().finite().optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type === 'limit' && o.price === undefined)
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'a limit order needs a price' });
    if (o.type === 'market' && o.price !== undefined)
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'a market order takes no price' });
    if (o.timeInForce === 'GTD' && o.expiresAt === undefined)
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'a GTD order needs expiresAt' });
  });

export type TradeOrder = z.infer<typeof tradeOrderSchema>;
export type TimeInForce = z.infer<typeof timeInForceSchema>;

/** A limit order as the call auctions see it: a price is required. */
export type LimitOrder = TradeOrder & { price: number };

/**
 * A match between one buy and one sell order. `price` is what changes hands per unit; where the
 * buyer pays and the seller receives different prices (the MDA), both are given and the
 * difference stays with the market operator.
 */
export interface Trade {
  buyOrderId: string;
  sellOrderId: string;
  price: number;
  quantity: number;
  buyerPrice?: number;
  sellerPrice?: number;
  /** grid-aware markets: charge per unit the buyer pays on top, and the energy the seller delivers with losses */
  networkCharge?: number;
  sellerQuantity?: number;
}

export interface RejectedTradeOrder {
  /** the order's id where it has one, else its position as #n */
  id: string;
  index: number;
  reason: string;
}

export interface ParsedTradeOrders {
  orders: TradeOrder[];
  rejected: RejectedTradeOrder[];
}

/** The default price band of a peer-to-peer market, in the orders' unit ($/kWh): 5 $/kWh is 5000 $/MWh. */
export const DEFAULT_TRADE_PRICE_CAP = 5;

export interface TradeOrderRules {
  /** orders submitted after this time are late for the market and rejected */
  gateClosure?: number;
  /** whether market orders are accepted (a call auction needs prices) */
  allowMarketOrders?: boolean;
  /** orders priced above this are rejected (an orders document's default: DEFAULT_TRADE_PRICE_CAP) */
  priceCap?: number;
  /** orders priced below this are rejected; 0 unless given */
  priceFloor?: number;
}

/**
 * An orders file of the peer-to-peer markets: {"orders": […]} with the market's optional
 * settings beside them. Any other top-level field is refused by name.
 */
export const tradeOrderDocumentSchema = z
  .object({
    orders: z.array(z.unknown()),
    /** seconds of the market's clock after which orders are late */
    gateClosure: z.number().finite().optional(),
    priceCap: z.number().finite().optional(),
    priceFloor: z.number().finite().min(0).optional(),
  })
  .strict();

/**
 * Validates an orders file and its orders: the document's shape and settings must be right or
 * nothing clears (an InvalidValueError naming `source` and the field); each order is then checked
 * on its own.
 */
export function parseTradeOrderDocument(
  doc: unknown,
  source: string,
  rules: Pick<TradeOrderRules, 'allowMarketOrders'> = {},
): ParsedTradeOrders & { settings: Omit<z.infer<typeof tradeOrderDocumentSchema>, 'orders'> } {
  const r = tradeOrderDocumentSchema.safeParse(doc);
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  const { orders, ...settings } = r.data;
  const cap = settings.priceCap ?? DEFAULT_TRADE_PRICE_CAP;
  if (settings.priceFloor !== undefined && !(settings.priceFloor < cap))
    throw new InvalidValueError(
      `${source}: priceFloor: ${settings.priceFloor} must be below the price cap ${cap}`,
    );
  return { ...parseTradeOrders(orders, { ...rules, ...settings, priceCap: cap }), settings };
}

/**
 * Validates a list of trade orders one by one: a malformed, negative, NaN, zero-quantity,
 * duplicate or late order is rejected with its id and reason and the others go on.
 */
export function parseTradeOrders(raw: unknown, rules: TradeOrderRules = {}): ParsedTradeOrders {
  if (!Array.isArray(raw))
    throw new InvalidValueError(
      `orders: expected an array of orders, found ${raw === null ? 'null' : typeof raw}`,
    );
  const orders: TradeOrder[] = [];
  const rejected: RejectedTradeOrder[] = [];
  const seen = new Set<string>();
  for (const [index, o] of raw.entries()) {
    const rawId = (o as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId !== '' ? rawId : `#${index}`;
    const r = tradeOrderSchema.safeParse(o);
    const reason = r.success
      ? problemWith(r.data, seen, rules)
      : r.error.issues.map((i) => `${i.path.join('.') || 'order'}: ${i.message}`).join('; ');
    if (reason !== undefined || !r.success) {
      rejected.push({ id, index, reason: reason ?? 'invalid order' });
      continue;
    }
    seen.add(r.data.id);
    orders.push(r.data);
  }
  return { orders, rejected };
}

/** Why a well-formed order cannot enter this market, if it cannot. */
function problemWith(order: TradeOrder, seen: Set<string>, rules: TradeOrderRules): string | undefined {
  if (seen.has(order.id)) return 'id: duplicate order id';
  if (order.type === 'market' && rules.allowMarketOrders === false)
    return 'type: this market takes limit orders only';
  if (rules.gateClosure !== undefined && order.time !== undefined && order.time > rules.gateClosure)
    return `time: submitted at ${order.time}, after gate closure at ${rules.gateClosure}`;
  if (order.price !== undefined && rules.priceCap !== undefined && order.price > rules.priceCap)
    return `price: ${order.price} is above the market's price cap of ${rules.priceCap} (set "priceCap" in the orders document)`;
  if (order.price !== undefined && order.price < (rules.priceFloor ?? 0))
    return `price: ${order.price} is below the market's price floor of ${rules.priceFloor}`;
  return undefined;
}
