import type { OrderAck } from '@gridtier/core/engine';

/**
 * An order as it travels on `<prefix>.<feeder>.orders`. The client's order id is required: it is
 * what makes a retry the same order (the message id is made from it, and the engine answers a
 * second delivery with the first one's result).
 */
export interface BusOrder {
  participant: string;
  market: string;
  session?: string;
  clientOrderId: string;
  order: unknown;
}

/** The answer to one order message, on `<prefix>.<feeder>.results`. */
export type BusResult = { msgId: string; feeder: string } & (
  | OrderAck
  | { ok: false; code: 'MALFORMED'; field: string; reason: string }
);

/** The message id of an order: a retry of the same order carries the same one. */
export function orderMsgId(o: Pick<BusOrder, 'participant' | 'market' | 'clientOrderId'>): string {
  return `${o.participant}/${o.market}/${o.clientOrderId}`;
}

/** A bus order read from a message's bytes, or the field at fault. */
export function parseBusOrder(
  data: Uint8Array,
): { ok: true; order: BusOrder } | { ok: false; field: string; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(data));
  } catch (e) {
    return { ok: false, field: 'message', reason: `not JSON: ${(e as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, field: 'message', reason: 'must be a JSON object' };
  const o = raw as Record<string, unknown>;
  for (const f of ['participant', 'market', 'clientOrderId'] as const)
    if (typeof o[f] !== 'string' || o[f] === '' || (o[f] as string).length > 128)
      return { ok: false, field: f, reason: 'must be a string of 1 to 128 characters' };
  if (o.session !== undefined && typeof o.session !== 'string')
    return { ok: false, field: 'session', reason: 'must be a session id' };
  if (!('order' in o)) return { ok: false, field: 'order', reason: 'is missing' };
  return {
    ok: true,
    order: {
      participant: o.participant as string,
      market: o.market as string,
      ...(o.session !== undefined ? { session: o.session as string } : {}),
      clientOrderId: o.clientOrderId as string,
      order: o.order,
    },
  };
}
