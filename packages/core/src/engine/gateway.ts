/** An order as a participant submits it. */
export interface OrderRequest {
  market: string;
  /** the session it is for; may be left out where the market has exactly one session open */
  session?: string;
  /** the participant's own id for the order: submitting it twice makes one order */
  clientOrderId?: string;
  order: unknown;
}

export type RejectCode =
  | 'UNKNOWN_MARKET'
  | 'UNKNOWN_SESSION'
  | 'GATE_CLOSED'
  | 'NOT_OPEN'
  | 'INVALID_ORDER'
  | 'CLIENT_ID_REUSED'
  | 'UNKNOWN_ORDER'
  | 'NOT_OWNER'
  | 'SUSPENDED';

/** The answer to a submit, cancel or replace: accepted with the order's id, or refused saying why. */
export type OrderAck =
  | { ok: true; orderId: string; session: string; seq: number; duplicate?: boolean }
  | {
      ok: false;
      code: RejectCode;
      /** the field at fault: market, session, clientOrderId, or a path into the order */
      field: string;
      reason: string;
      orderId?: string;
      clientOrderId?: string;
    };
