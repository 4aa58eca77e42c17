import { DEVICE_KINDS, TIERS } from '@gridtier/core/der/devices';
import { COMMAND_KINDS, PHASES } from '@gridtier/core/der/gateway';
import { z } from 'zod';

/** The device gateway's request and response shapes (they validate and are the OpenAPI schemas). */

const id = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/)
  .describe('1–64 characters of A–Z, a–z, 0–9, _ . -');
const instant = z.string().describe('an ISO 8601 instant');

export const deviceRequest = z
  .object({
    id,
    owner: id.describe('the household or customer that owns it'),
    kind: z.enum(DEVICE_KINDS),
    tier: z.enum(TIERS).describe('the customer’s colour: green is shed first, black never'),
    bus: id.describe('the feeder bus it is connected at'),
    phase: z.enum(PHASES),
    vpp: id.describe('the VPP that steers it (an aggregator registers for its own only)'),
  })
  .strict();

export const deviceView = deviceRequest.extend({ createdAt: instant, revokedAt: instant.nullable() });

export const deviceState = z.object({
  online: z.boolean(),
  round: z.number().int().describe('the latest control round it reported for (−1: none)'),
  demandKw: z.number(),
  disabledS: z.number().describe('seconds it has spent disabled, its fairness account'),
  reports: z.number().int(),
});

export const deviceDetail = deviceView.extend({ state: deviceState.nullable() });

export const deviceCreated = z.object({
  device: deviceView,
  mqtt: z.object({
    url: z.string().describe('the broker'),
    username: z.string().describe('the device id; the client id must be the same'),
    password: z.string().describe('the device’s secret, shown in this answer only'),
    publish: z.array(z.string()).describe('its telemetry, acks and status (last will: "offline")'),
    subscribe: z.array(z.string()).describe('its commands and its VPP’s broadcast'),
  }),
});

export const devicesQuery = z.object({ vpp: id.optional() }).strict();
export const devicesResponse = z.object({ devices: z.array(deviceView) });
export const deviceParams = z.object({ deviceId: id });

export const commandRequest = z.object({ kind: z.enum(COMMAND_KINDS) }).strict();
export const commandView = z.object({
  id: z.number().int(),
  deviceId: z.string(),
  by: z.string().describe('the client that sent it'),
  kind: z.enum(COMMAND_KINDS),
  issuedAt: instant,
  ackedAt: instant.nullable(),
  ok: z.boolean().nullable().describe('the device’s answer; null while unacknowledged'),
});
export const commandsResponse = z.object({ commands: z.array(commandView) });

export const vppView = z.object({
  vpp: z.string(),
  devices: z.number().int().describe('registered, not revoked'),
  online: z.number().int(),
  round: z.number().int().describe('control rounds broadcast so far'),
  reporting: z.number().int().describe('devices counted in the last estimate'),
  estimatedEnabledKw: z.number().describe('the last estimate of enabled demand'),
  goalKw: z.number().nullable().describe('the current goal for enabled demand; null: no event'),
  targetKw: z.number().nullable().describe('what the control law made of it (clipped to what is feasible)'),
  lastRoundAt: instant.nullable(),
});
export const vppsResponse = z.object({ vpps: z.array(vppView) });
