import { openRepository, publicClient } from '@gridtier/server';
import type { RunContext } from '../../framework/spec.js';
import { storeLocation } from '../store-location.js';
import type { listOptions } from './command.js';

export async function run({ options: o, io }: RunContext<typeof listOptions>): Promise<number> {
  const repo = await openRepository(storeLocation(o));
  try {
    const list = (await repo.clients()).map(publicClient);
    if (o.format === 'json') io.stdout(`${JSON.stringify({ clients: list }, null, 2)}\n`);
    else
      io.stdout(
        `${['client', 'name', 'role', 'created', 'revoked'].join('\t')}\n${list
          .map((c) => [c.clientId, c.name, c.role, c.createdAt, c.revokedAt ?? '-'].join('\t'))
          .join('\n')}${list.length ? '\n' : ''}`,
      );
    return 0;
  } finally {
    await repo.close();
  }
}
