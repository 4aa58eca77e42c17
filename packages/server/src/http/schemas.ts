import { z } from 'zod';
import { ROLES } from '../store/index.js';

/** The request and response shapes: they validate requests and are the OpenAPI document's schemas. */

const seq = z.number().int().nonnegative().describe("the engine's sequence number");
const instant = z.string().describe('an ISO 8601 instant');
const fromSeq = z.coerce
  .number()
  .int()
  .nonnegative()
  .optional()
  .describe('only what happened at or after this sequence number');

export const tokenRequest = z
  .object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().min(1).max(64),
    client_secret: z.string().min(1).max(256),
    scope: z.string().max(512).optional(),
  })
  .describe(
    'OAuth2 client credentials (RFC 6749 §4.4), as a form or JSON; HTTP Basic also carries the id and secret',
  );
export const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});

export const sessionInfo = z.object({
  id: z.string(),
  market: z.string(),
  kind: z.string(),
  product: z.string(),
  deliveryStart: instant,
  deliveryEnd: instant,
  opens: instant,
  gate: instant,
  state: z.enum(['planned', 'open', 'closed', 'cleared']),
});
export const marketsQuery = z.object({
  market: z.string().max(64).optional(),
  state: z.enum(['open', 'planned', 'all']).default('open'),
});
export const marketsResponse = z.object({
  seq,
  now: instant.describe("the markets' clock now (an accelerated clock runs ahead of the wall clock)"),
  sessions: z.array(sessionInfo),
});

export const marketParams = z.object({ market: z.string().min(1).max(64) });
export const bookQuery = z.object({
  session: z.string().max(128).optional(),
  levels: z.coerce.number().int().min(1).max(1000).default(50),
});
const depth = z.array(
  z.object({ price: z.number().describe('$/kWh'), quantity: z.number().describe('kWh') }),
);
export const bookResponse = z.object({
  seq,
  market: z.string(),
  session: z.string(),
  bids: depth,
  asks: depth,
});

export const tradeOrder = z
  .record(z.string(), z.unknown())
  .describe(
    "the market's own order: for intraday, layer1 and layer3 a trade order {side: buy|sell, type: limit|market, price $/kWh, quantity kWh, timeInForce: GTC|IOC|FOK|GTD, expiresAt}; the market validates it and names the field at fault",
  );
export const orderRequest = z
  .object({
    market: z.string().min(1).max(64),
    session: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('required where the market has several sessions open'),
    clientOrderId: z
      .string()
      .min(1)
      .max(128)
      .describe('your own id for the order: posting it again returns the same order, never a second one'),
    order: tradeOrder,
  })
  .strict();
export const orderAck = z.object({
  orderId: z.string(),
  session: z.string(),
  seq,
  duplicate: z.boolean(),
});
export const orderParams = z.object({ orderId: z.string().min(1).max(64) });
export const replaceRequest = z.object({ order: tradeOrder }).strict();
export const orderView = z.object({
  orderId: z.string(),
  clientOrderId: z.string(),
  participant: z.string(),
  market: z.string(),
  session: z.string(),
  order: z.unknown(),
  status: z.enum(['live', 'filled', 'cancelled', 'closed']),
  acceptedSeq: seq,
  acceptedAt: instant,
  filledKwh: z.number(),
  usd: z.number(),
});
export const ordersQuery = z.object({
  market: z.string().max(64).optional(),
  status: z.enum(['live', 'filled', 'cancelled', 'closed']).optional(),
});
export const ordersResponse = z.object({ orders: z.array(orderView) });

export const fillsQuery = z.object({ fromSeq });
const fill = z.object({
  seq,
  at: instant,
  market: z.string(),
  session: z.string(),
  orderId: z.string(),
  clientOrderId: z.string().optional(),
  participant: z.string(),
  kwh: z.number().describe('energy sold (+) or bought (−), kWh'),
  usd: z.number().describe('money received (+) or paid (−), $'),
  usdPerKwh: z.number().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export const fillsResponse = z.object({ fills: z.array(fill) });

export const marketQuery = z.object({ market: z.string().min(1).max(64), fromSeq });
export const tradesQuery = z.object({
  market: z.string().min(1).max(64).optional().describe('one market; every market without it'),
  fromSeq,
});
export const tradesResponse = z.object({
  trades: z.array(
    z.object({
      seq,
      at: instant,
      market: z.string(),
      session: z.string(),
      usdPerKwh: z.number(),
      kwh: z.number(),
    }),
  ),
});
const moneyLine = z.object({ account: z.string(), what: z.string(), kwh: z.number(), usd: z.number() });
export const clearingsResponse = z.object({
  clearings: z.array(
    z.object({
      seq,
      at: instant,
      market: z.string(),
      session: z.string(),
      result: z.record(z.string(), z.unknown()),
      lines: z.array(moneyLine),
    }),
  ),
});
export const gridResponse = z.object({
  seq,
  feeder: z
    .object({
      buses: z.array(
        z.object({
          name: z.string(),
          phases: z.array(z.number().int()),
          x: z.number().nullable(),
          y: z.number().nullable(),
        }),
      ),
      branches: z.array(
        z.object({ name: z.string(), from: z.number().int(), to: z.number().int(), normAmps: z.number() }),
      ),
    })
    .nullable()
    .describe(
      "the scenario's feeder (buses with their coordinates where the script gives them); null without one",
    ),
  state: z
    .object({
      seq,
      startMs: z.number(),
      converged: z.boolean(),
      minVoltagePu: z.number(),
      maxVoltagePu: z.number(),
      lossesKw: z.number(),
      busVoltagesPu: z.array(z.array(z.number())).optional().describe('per bus of the feeder, per phase, pu'),
      branchLoadingPct: z
        .array(z.number())
        .optional()
        .describe('per branch of the feeder, % of its normal rating'),
    })
    .passthrough()
    .nullable()
    .describe("the DSO's last power flow of the metered state (every five minutes of the day); null before"),
});

export const dlmpsQuery = z.object({ market: z.string().max(64).optional(), fromSeq });
export const dlmpsResponse = z.object({
  dlmps: z.array(
    z.object({
      seq,
      market: z.string(),
      session: z.string(),
      deliveryStart: z.string().describe('the start of its first interval'),
      intervalMinutes: z.number().int(),
      nodes: z.array(z.string()).describe('bus.phase'),
      intervals: z.array(
        z.object({
          total: z.array(z.number()),
          energy: z.array(z.number()),
          loss: z.array(z.number()),
          congestion: z.array(z.number()),
        }),
      ),
    }),
  ),
});

export const statementsQuery = z.object({
  participant: z.string().max(64).optional().describe('an auditor names whose; a participant reads its own'),
});
const account = z.object({ account: z.string(), kwh: z.number(), usd: z.number() });
export const statementsResponse = z.object({
  statements: z.array(
    z.object({
      participant: z.string(),
      balance: account,
      sessions: z.array(
        z.object({
          market: z.string(),
          session: z.string(),
          kwh: z.number(),
          usd: z.number(),
          fills: z.number().int(),
        }),
      ),
      intervals: z
        .array(
          z.object({
            intervalStart: instant,
            intervalMinutes: z.number().int(),
            contractedKwh: z.number(),
            meteredKwh: z.number(),
            imbalanceKwh: z.number(),
            usdPerKwh: z.number(),
            usd: z.number(),
          }),
        )
        .describe('metered intervals settled against the trades for them'),
    }),
  ),
});
export const accountsResponse = z.object({ accounts: z.array(account) });

const reading = z.object({
  meter: z.string().min(1).max(64),
  intervalStart: z.iso.datetime({ offset: true }),
  intervalMinutes: z
    .number()
    .int()
    .refine((m) => [5, 15, 30, 60].includes(m), 'must be 5, 15, 30 or 60'),
  kwh: z.number().finite(),
});
export const readingsRequest = z.object({ readings: z.array(reading).min(1).max(10_000) }).strict();
export const readingsResponse = z.object({
  stored: z.number().int(),
  settled: z.number().int().describe('intervals settled by this report'),
  duplicates: z.array(reading),
});
export const readingsQuery = z.object({
  meter: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const readingsList = z.object({
  readings: z.array(reading.extend({ oracle: z.string(), received: instant })),
});

export const eventsQuery = z.object({
  fromSeq,
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  type: z.string().max(64).optional(),
});
const event = z.object({
  seq,
  time: instant,
  type: z.string(),
  actor: z.string(),
  to: z.array(z.string()).optional(),
  payload: z.unknown(),
});
export const eventsResponse = z.object({ events: z.array(event) });

const role = z.enum(ROLES);
export const clientRequest = z.object({ name: z.string().min(1).max(64), role }).strict();
export const clientView = z.object({
  clientId: z.string(),
  name: z.string(),
  role,
  createdAt: instant,
  revokedAt: instant.nullable(),
});
export const clientCreated = clientView.extend({ clientSecret: z.string().describe('shown this once') });
export const clientsResponse = z.object({ clients: z.array(clientView) });
export const clientParams = z.object({ clientId: z.string().min(1).max(64) });

export const healthResponse = z.object({ status: z.literal('ok'), seq, time: instant, clock: z.string() });
export const empty = z.object({}).strict();
