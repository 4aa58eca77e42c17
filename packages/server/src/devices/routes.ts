import type { CommandRecord } from '@gridtier/core/der/gateway';
import * as gw from '@gridtier/core/der/gateway';
import type { DeviceHost } from '@gridtier/devices';
import type { Caller } from '../auth/index.js';
import { ApiError } from '../errors.js';
import { type ApiDeps, type Route, route } from '../http/route.js';
import type { DeviceRecord } from '../store/index.js';
import * as s from './schemas.js';

const iso = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | undefined) => (t === undefined ? null : iso(t));

function host(deps: ApiDeps): DeviceHost {
  if (!deps.devices)
    throw new ApiError(503, 'No device gateway', 'this server runs without its MQTT device gateway', {
      field: 'path',
    });
  return deps.devices;
}

/** An aggregator steers its own VPP only (the VPP carries its name); other roles with the scope see all. */
const mayReach = (caller: Caller, vpp: string) => caller.role !== 'aggregator' || caller.name === vpp;

const view = (d: DeviceRecord) => ({
  id: d.id,
  owner: d.owner,
  kind: d.kind,
  tier: d.tier,
  bus: d.bus,
  phase: d.phase,
  vpp: d.vpp,
  createdAt: iso(d.createdMs),
  revokedAt: isoOrNull(d.revokedMs),
});

const commandView = (c: CommandRecord) => ({
  id: c.id,
  deviceId: c.deviceId,
  by: c.by,
  kind: c.kind,
  issuedAt: iso(c.issuedAtMs),
  ackedAt: isoOrNull(c.ackedAtMs),
  ok: c.ok ?? null,
});

/** A device the caller may reach; another VPP's device answers 404, so its existence does not leak. */
async function reachable(deps: ApiDeps, caller: Caller, deviceId: string): Promise<DeviceRecord> {
  host(deps);
  const d = (await deps.repo.devices()).find((x) => x.id === deviceId);
  if (!d || !mayReach(caller, d.vpp))
    throw new ApiError(404, 'Not found', `deviceId: no device ${deviceId} of yours`, { field: 'deviceId' });
  return d;
}

/** The MQTT device gateway's routes: the registry, the command log and the VPPs' control state. */
export const DEVICE_ROUTES: readonly Route[] = [
  route({
    method: 'POST',
    path: '/v1/devices',
    scope: 'devices:write',
    tag: 'devices',
    summary:
      'Registers an MQTT device (an aggregator for its own VPP); its broker credentials and topics are in this answer only',
    body: s.deviceRequest,
    response: s.deviceCreated,
    status: 201,
    handler: async ({ caller, body, deps }) => {
      const h = host(deps);
      if (!mayReach(caller, body.vpp))
        throw new ApiError(
          403,
          'Forbidden',
          `vpp: an aggregator registers devices of its own VPP (${caller.name})`,
          {
            field: 'vpp',
          },
        );
      let secret: string;
      try {
        secret = (await h.register(body)).secret;
      } catch (e) {
        if (
          e instanceof gw.DeviceRefusedError ||
          (e as { details?: { code?: string } }).details?.code === 'CONFLICT'
        )
          throw new ApiError(409, 'Device refused', (e as Error).message, { field: 'id', cause: e });
        throw e;
      }
      const stored = (await deps.repo.devices()).find((d) => d.id === body.id)!;
      const own = (c: gw.DeviceChannel) => gw.deviceTopic(body.vpp, body.id, c);
      return {
        device: view(stored),
        mqtt: {
          url: h.brokerUrl,
          username: body.id,
          password: secret,
          publish: [own('telemetry'), own('acks'), own('status')],
          subscribe: [own('commands'), gw.broadcastTopic(body.vpp)],
        },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/devices',
    scope: 'devices:read',
    tag: 'devices',
    summary: 'The registered devices (an aggregator sees its own VPP’s), revoked ones too',
    query: s.devicesQuery,
    response: s.devicesResponse,
    handler: async ({ caller, query, deps }) => {
      host(deps);
      return {
        devices: (await deps.repo.devices())
          .filter((d) => mayReach(caller, d.vpp) && (query.vpp === undefined || d.vpp === query.vpp))
          .map(view),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/devices/{deviceId}',
    scope: 'devices:read',
    tag: 'devices',
    summary: 'One device and its state as the gateway keeps it: online, last report, demand',
    params: s.deviceParams,
    response: s.deviceDetail,
    handler: async ({ caller, params, deps }) => {
      const d = await reachable(deps, caller, params.deviceId);
      const st = host(deps).gateway.states.state(d.id);
      return {
        ...view(d),
        state: st
          ? {
              online: st.online,
              round: st.round,
              demandKw: st.demandKw,
              disabledS: st.disabledS,
              reports: st.reports,
            }
          : null,
      };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/devices/{deviceId}',
    scope: 'devices:write',
    tag: 'devices',
    summary: 'Revokes a device: it is disconnected at once and can no longer connect (its id stays taken)',
    params: s.deviceParams,
    response: s.deviceView,
    handler: async ({ caller, params, deps }) => {
      await reachable(deps, caller, params.deviceId);
      await host(deps).revoke(params.deviceId);
      return view((await deps.repo.devices()).find((d) => d.id === params.deviceId)!);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/devices/{deviceId}/commands',
    scope: 'devices:write',
    tag: 'devices',
    summary: 'Sends a command to a device (enable, disable, report); its acknowledgement arrives in the log',
    params: s.deviceParams,
    body: s.commandRequest,
    response: s.commandView,
    status: 201,
    handler: async ({ caller, params, body, deps }) => {
      const d = await reachable(deps, caller, params.deviceId);
      if (d.revokedMs !== undefined)
        throw new ApiError(409, 'Device revoked', `deviceId: ${d.id} is revoked`, { field: 'deviceId' });
      return commandView(await host(deps).gateway.command(d.id, body.kind, caller.name));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/devices/{deviceId}/commands',
    scope: 'devices:read',
    tag: 'devices',
    summary: 'The command log of a device: who sent what, when, and whether the device acknowledged it',
    params: s.deviceParams,
    response: s.commandsResponse,
    handler: async ({ caller, params, deps }) => {
      const d = await reachable(deps, caller, params.deviceId);
      return { commands: host(deps).gateway.commands.list(d.id).map(commandView) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/vpps',
    scope: 'devices:read',
    tag: 'devices',
    summary:
      'Per VPP: devices registered and online, the last state estimate broadcast and the current goal (an aggregator sees its own)',
    response: s.vppsResponse,
    handler: ({ caller, deps }) => ({
      vpps: host(deps)
        .vpps()
        .filter((v) => mayReach(caller, v.vpp))
        .map((v) => ({
          vpp: v.vpp,
          devices: v.devices,
          online: v.online,
          round: v.round,
          reporting: v.reporting,
          estimatedEnabledKw: v.estimatedEnabledKw,
          goalKw: v.goalKw ?? null,
          targetKw: v.targetKw ?? null,
          lastRoundAt: isoOrNull(v.lastRoundMs),
        })),
    }),
  }),
];
