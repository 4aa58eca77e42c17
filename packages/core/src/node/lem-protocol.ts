import type { LemResult } from '../market/lem/index.js';
import type { ParsedOrders } from '../market/orders/index.js';

/** What the calling thread asks the LEM worker; the id pairs each answer with its request. */
export interface LemRequest {
  id: number;
  parsed: ParsedOrders;
}

/** The worker's answer: the market's result, or why it could not clear. */
export type LemReply =
  | { id: number; ok: true; result: LemResult }
  | { id: number; ok: false; message: string; code?: string };
