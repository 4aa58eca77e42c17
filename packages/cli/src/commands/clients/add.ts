import { GridTierError, InvalidValueError } from '@gridtier/core/errors';
import { addClient, checkClientInput, openRepository } from '@gridtier/server';
import type { RunContext } from '../../framework/spec.js';
import { storeLocation } from '../store-location.js';
import type { addOptions } from './command.js';

/** The refusal names the option it is about. */
function asOptionError(e: unknown): never {
  const field = e instanceof GridTierError ? (e.details.field as string | undefined) : undefined;
  throw field ? new InvalidValueError(`--${field} ${(e as Error).message}`, { cause: e }) : e;
}

export async function run({ options: o, io }: RunContext<typeof addOptions>): Promise<number> {
  const input = { name: o.name, role: o.role };
  // a bad name is refused before the database is opened (which takes a second or more)
  try {
    checkClientInput(input);
  } catch (e) {
    asOptionError(e);
  }
  const repo = await openRepository(storeLocation(o));
  try {
    const { client, clientSecret } = await addClient(repo, input).catch(asOptionError);
    io.stdout(
      o.format === 'json'
        ? `${JSON.stringify({ clientId: client.id, clientSecret, name: client.name, role: client.role }, null, 2)}\n`
        : `client ${client.id} (${client.name}, ${client.role})\nsecret ${clientSecret}\n(the secret is shown this once; only its hash is kept)\n`,
    );
    return 0;
  } finally {
    await repo.close();
  }
}
