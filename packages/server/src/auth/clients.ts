import { InvalidValueError } from '@gridtier/core/errors';
import { type ClientRecord, type Repository, ROLES, type Role } from '../store/index.js';
import { hashSecret, newClientId, newSecret } from './secrets.js';

/** A participant id: what orders, fills and statements carry. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new InvalidValueError(`role "${role}": expected one of ${ROLES.join(', ')}`, {
      details: { field: 'role' },
    });
  return role as Role;
}

/** A new client's role and name as given, checked without the store (so a caller can refuse before opening it). */
export function checkClientInput(input: { name: string; role: string }): Role {
  const role = checkRole(input.role);
  if (!NAME.test(input.name))
    throw new InvalidValueError(
      `name "${input.name}": 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      { details: { field: 'name' } },
    );
  return role;
}

/** Registers a client; the secret is shown this once and only its hash is kept. */
export async function addClient(
  repo: Repository,
  input: { name: string; role: string },
  nowMs = Date.now(),
): Promise<{ client: ClientRecord; clientSecret: string }> {
  const role = checkClientInput(input);
  if ((await repo.clients()).some((c) => c.name === input.name))
    throw new InvalidValueError(`name "${input.name}" is taken by another client`, {
      details: { field: 'name' },
    });
  const clientSecret = newSecret();
  const client: ClientRecord = {
    id: newClientId(),
    name: input.name,
    role,
    secretHash: hashSecret(clientSecret),
    createdMs: nowMs,
  };
  await repo.addClient(client);
  return { client, clientSecret };
}

/** What a listing shows of a client: never the hash. */
export const publicClient = (c: ClientRecord) => ({
  clientId: c.id,
  name: c.name,
  role: c.role,
  createdAt: new Date(c.createdMs).toISOString(),
  revokedAt: c.revokedMs === undefined ? null : new Date(c.revokedMs).toISOString(),
});
