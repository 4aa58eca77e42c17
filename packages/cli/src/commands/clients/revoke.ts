import { InvalidValueError } from '@gridtier/core/errors';
import { openRepository } from '@gridtier/server';
import type { RunContext } from '../../framework/spec.js';
import { storeLocation } from '../store-location.js';
import type { revokeOptions } from './command.js';

export async function run({
  options: o,
  positionals,
  io,
}: RunContext<typeof revokeOptions>): Promise<number> {
  const id = positionals[0];
  const repo = await openRepository(storeLocation(o));
  try {
    if (!(await repo.revokeClient(id, Date.now())))
      throw new InvalidValueError(`no client ${id}`, { details: { field: 'ID' } });
    io.stdout(`revoked ${id}: its tokens are refused from its next request\n`);
    return 0;
  } finally {
    await repo.close();
  }
}
