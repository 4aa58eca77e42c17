import { type ClientOptions, GridTierClient } from '@gridtier/sdk';
import { addClient } from '../auth/index.js';
import { type RunningServer, type ServeOptions, startServer } from '../server.js';
import type { Role } from '../store/index.js';

export const TEST_DAY_MS = Date.UTC(2026, 6, 15, 10);

/** A server on a free port, an accelerated clock from 10:00 and an in-memory database unless told. */
export function testServer(options: Partial<ServeOptions> = {}): Promise<RunningServer> {
  return startServer({ clock: 'x1', startMs: TEST_DAY_MS, port: 0, ...options });
}

/** Registers a client with the repository and gives back a client of the API for it. */
export async function clientFor(
  server: RunningServer,
  name: string,
  role: Role,
  options: ClientOptions = {},
): Promise<GridTierClient> {
  const { client, clientSecret } = await addClient(server.repo, { name, role });
  return new GridTierClient(server.url, client.id, clientSecret, options);
}
