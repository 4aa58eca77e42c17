import type { OrderAck, RejectCode } from '@gridtier/core/engine';
import type { ZodError } from 'zod';
import { ApiError } from '../errors.js';

/** An RFC 9457 problem: what went wrong, for a person (detail) and a program (code, field). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  instance?: string;
}

export const PROBLEM_TYPE = 'application/problem+json';

export function problemOf(e: ApiError & { code: string }, instance?: string): Problem {
  const code = (e.details.code as string | undefined) ?? e.code;
  return {
    type: `urn:gridtier:problem:${code.toLowerCase()}`,
    title: e.title,
    status: e.status,
    detail: e.message,
    code,
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(instance !== undefined ? { instance } : {}),
  };
}

/** A request part that does not match its schema: 400, naming the first field at fault. */
export function invalidRequest(part: 'body' | 'query' | 'params', error: ZodError): ApiError {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  const field = path === '' ? part : path;
  return new ApiError(400, 'Invalid request', `${field}: ${issue.message}`, {
    field,
    details: { code: 'INVALID_REQUEST', part },
  });
}

const STATUS: Record<RejectCode, [number, string]> = {
  UNKNOWN_MARKET: [404, 'Unknown market'],
  UNKNOWN_SESSION: [404, 'Unknown session'],
  UNKNOWN_ORDER: [404, 'Unknown order'],
  // another participant's order is not shown to exist
  NOT_OWNER: [404, 'Unknown order'],
  GATE_CLOSED: [409, 'Gate closed'],
  NOT_OPEN: [409, 'Session not open'],
  CLIENT_ID_REUSED: [409, 'Client order id reused'],
  INVALID_ORDER: [422, 'Invalid order'],
  SUSPENDED: [403, 'Participant suspended'],
};

/** The engine's refusal of an order as an API error; an order's own fields are named under `order.` */
export function refusal(ack: Extract<OrderAck, { ok: false }>): ApiError {
  const [status, title] = STATUS[ack.code];
  const inOrder =
    ack.code === 'INVALID_ORDER' && ack.field !== 'clientOrderId' && ack.field !== 'participant';
  const field = inOrder ? `order.${ack.field}` : ack.field;
  const message = ack.code === 'NOT_OWNER' ? `no order ${ack.orderId} of yours` : ack.reason;
  return new ApiError(status, title, `${field}: ${message}`, { field, details: { code: ack.code } });
}
