import { InvalidValueError } from '@gridtier/core/errors';
import { isClientId, openRepository } from '@gridtier/server';
import type { RunContext } from '../../framework/spec.js';
import { storeLocation } from '../store-location.js';
import type { revokeOptions } from './command.js';

export async function run({
  options: o,
  positionals,
  io,
}: RunContext<typeof revokeOptions>): Promise<number> {
  const id = positionals[0];
  // the refusals name the argument (ID), as a usage line shows it
  if (!isClientId(id))
    throw new InvalidValueError(
      `ID "${id}": not a client id (c_ and 12 letters, digits, _ or -, as clients list shows)`,
      {
        details: { field: 'ID' },
      },
    );
  const repo = await openRepository(storeLocation(o));
  try {
    if (!(await repo.revokeClient(id, Date.now())))
      throw new InvalidValueError(`ID ${id}: no such client (clients list shows them)`, {
        details: { field: 'ID' },
      });
    io.stdout(`revoked ${id}: its tokens are refused from its next request\n`);
    return 0;
  } finally {
    await repo.close();
  }
}
