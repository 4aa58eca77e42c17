import { defineCommand, defineGroup, opt, std } from '../../framework/spec.js';
import { store } from '../store-options.js';

export const addOptions = {
  role: opt.choice(['admin', 'dso', 'aggregator', 'prosumer', 'device', 'oracle', 'auditor', 'ven'], {
    required: true,
    help: 'what the client may do (each role’s scopes are in the API docs)',
  }),
  name: opt.string({ required: true, help: 'its participant id in the markets (letters, digits, . _ -)' }),
  format: std.format(['table', 'json'], 'json: clientId and clientSecret'),
  ...store,
};

export const listOptions = { format: std.format(['table', 'json']), ...store };
export const revokeOptions = { ...store };

export const clientsAdd = defineCommand({
  name: 'add',
  summary: 'register an API client and print its id and secret (shown this once)',
  options: addOptions,
  examples: [
    {
      args: 'clients add --role prosumer --name hh17 --format json --data out/server',
      help: 'a household’s client; trade it for a token at POST /oauth/token',
    },
  ],
  load: () => import('./add.js'),
});

export const clientsList = defineCommand({
  name: 'list',
  summary: 'list the API clients, revoked ones too',
  options: listOptions,
  examples: [{ args: 'clients list --data out/server', help: 'id, name, role, created and revoked' }],
  load: () => import('./list.js'),
});

export const clientsRevoke = defineCommand({
  name: 'revoke',
  summary: 'revoke a client: its tokens are refused from its next request',
  options: revokeOptions,
  positionals: [{ name: 'ID', help: 'the client id', required: true }],
  examples: [{ args: 'clients revoke c_XXXXXXXXXXXX --data out/server', help: 'revoke one client' }],
  load: () => import('./revoke.js'),
});

export const clients = defineGroup({
  name: 'clients',
  summary: 'the API’s clients: register, list, revoke',
  description:
    'With --database, a running server hears of a revocation at once; the embedded database is held by a running server, so stop it first or use its admin API (POST/DELETE /v1/clients).',
  commands: [clientsAdd, clientsList, clientsRevoke],
});
