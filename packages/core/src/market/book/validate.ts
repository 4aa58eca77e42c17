import type { TradeOrder } from '../orders/index.js';
import type { OrderChange } from './types.js';

/*
 * The book checks what it is handed itself rather than trusting the schema, because orders reach
 * it from code as well as from parsed documents, and a NaN that slipped into a level would
 * corrupt every later match. Each check returns the reason for a rejection, or undefined.
 */

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function optionalString(x: unknown): boolean {
  return x === undefined || (typeof x === 'string' && x !== '');
}

/** The id to report a rejection under, even for an order too broken to have one. */
export function idOf(order: unknown): string {
  const id = (order as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '';
}

export function timeProblem(now: number | undefined): string | undefined {
  return now === undefined || isFiniteNumber(now) ? undefined : 'now: must be a finite number';
}

/** Problems of the order alone; `now` is the book's clock, if the caller gave it. */
export function orderProblem(order: TradeOrder, now: number | undefined): string | undefined {
  if (typeof order !== 'object' || order === null) return 'order: must be an object';
  const o = order as Partial<Record<keyof TradeOrder, unknown>>;
  if (typeof o.id !== 'string' || o.id === '') return 'id: must be a non-empty string';
  // plain comparisons, not Set lookups: validation runs on every order and this halves its cost
  if (o.side !== 'buy' && o.side !== 'sell') return "side: must be 'buy' or 'sell'";
  if (o.type !== 'limit' && o.type !== 'market' && o.type !== undefined)
    return "type: must be 'limit' or 'market'";
  if (!isFiniteNumber(o.quantity) || o.quantity <= 0) return 'quantity: must be a finite number above zero';
  if (o.type === 'market') {
    if (o.price !== undefined) return 'price: a market order takes no price';
  } else if (!isFiniteNumber(o.price) || o.price < 0) {
    return 'price: a limit order needs a finite price of at least zero';
  }
  const tif = o.timeInForce;
  if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK' && tif !== 'GTD' && tif !== undefined)
    return 'timeInForce: must be GTC, IOC, FOK or GTD';
  if (!optionalString(o.owner)) return 'owner: must be a non-empty string';
  if (o.time !== undefined && (!isFiniteNumber(o.time) || o.time < 0))
    return 'time: must be a finite number of at least zero';
  if (o.expiresAt !== undefined && !isFiniteNumber(o.expiresAt)) return 'expiresAt: must be a finite number';
  if (o.timeInForce === 'GTD' && o.expiresAt === undefined) return 'expiresAt: a GTD order needs one';
  if (o.expiresAt !== undefined && o.time !== undefined && o.expiresAt <= o.time)
    return `expiresAt: ${o.expiresAt} is not after the order's time ${o.time}`;
  if (o.expiresAt !== undefined && now !== undefined && o.expiresAt <= now)
    return `expiresAt: ${o.expiresAt} is not after now, ${now}`;
  return undefined;
}

export function changeProblem(change: OrderChange): string | undefined {
  if (typeof change !== 'object' || change === null) return 'change: must be an object';
  const { price, quantity } = change;
  if (price === undefined && quantity === undefined) return 'change: needs a price or a quantity';
  if (price !== undefined && (!isFiniteNumber(price) || price < 0))
    return 'price: must be a finite number of at least zero';
  if (quantity !== undefined && (!isFiniteNumber(quantity) || quantity <= 0))
    return 'quantity: must be a finite number above zero';
  return undefined;
}
