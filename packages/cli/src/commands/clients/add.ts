import { GridTierError, InvalidValueError } from '@gridtier/core/errors';
import { addClient, openRepository } from '@gridtier/server';
import type { RunContext } from '../../framework/spec.js';
import { storeLocation } from '../store-location.js';
import type { addOptions } from './command.js';

export async function run({ options: o, io }: RunContext<typeof addOptions>): Promise<number> {
  const repo = await openRepository(storeLocation(o));
  try {
    const { client, clientSecret } = await addClient(repo, { name: o.name, role: o.role }).catch((e) => {
      // the refusal names the option it is about
      const field = e instanceof GridTierError ? (e.details.field as string | undefined) : undefined;
      throw field ? new InvalidValueError(`--${field} ${e.message}`, { cause: e }) : e;
    });
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
