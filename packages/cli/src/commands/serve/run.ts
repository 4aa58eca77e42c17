import { InvalidValueError } from '@gridtier/core/errors';
import { nodeCrypto, WorkerLemClearer } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import { BrokerUnreachableError } from '@gridtier/devices';
import {
  dayProgram,
  type LiveProgram,
  type RunningServer,
  scenarioStartMs,
  startServer,
} from '@gridtier/server';
import { UsageError } from '../../framework/errors.js';
import { serviceLifetime, startInstantMs } from '../../framework/service.js';
import type { RunContext } from '../../framework/spec.js';
import { type DayInputs, loadDay, loadFeederDay } from '../simulate/load-day.js';
import { storeLocation } from '../store-location.js';
import type { options } from './command.js';

/** gridtier serve: the markets live until interrupted (or for --duration seconds). */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  let startMs = startInstantMs(o.start);
  if (o.scenario !== undefined && o.feeder !== undefined)
    throw new UsageError('give --scenario FILE.json or --feeder FILE.dss, not both');
  if (o.seed !== undefined && o.scenario === undefined && o.feeder === undefined)
    throw new UsageError('--seed draws a day’s prosumers and DER: give it with --scenario or --feeder');
  let program: ((epochMs: number) => Promise<LiveProgram>) | undefined;
  const day: DayInputs | undefined =
    o.scenario !== undefined
      ? loadDay(o.scenario, o.seed)
      : o.feeder !== undefined
        ? loadFeederDay(o.feeder, o.seed)
        : undefined;
  if (day !== undefined) {
    // the LEM clears in a worker thread with its own copy of the feeder: the API answers meanwhile
    program = dayProgram({
      ...day,
      solver: await HighsSolver.create(),
      lemClearer: () => new WorkerLemClearer(day.feederPath),
      crypto: nodeCrypto(),
    });
    if (startMs === undefined && o.clock !== 'wall') startMs = scenarioStartMs(day.scenario);
  }
  const lifetime = serviceLifetime(o.duration);
  const server = await listen(
    () =>
      startServer({
        ...storeLocation(o),
        clock: o.clock,
        startMs,
        ...(program ? { program } : {}),
        port: o.port,
        host: o.host,
        limits: { rateLimit: o['rate-limit'], rateWindowMs: 1000 },
        tokenTtlS: o['token-ttl'],
        ...(o['openadr-mqtt'] !== undefined ? { openadrMqtt: { url: o['openadr-mqtt'] } } : {}),
        devices: {
          brokerUrl: o.broker,
          brokerPort: o['mqtt-port'],
          gatewaySecret: process.env.GRIDTIER_BROKER_SECRET,
        },
        onFatal: (e) => lifetime.stop(e),
      }),
    o,
  );
  const where =
    server.repo.kind === 'pglite' ? `embedded PostgreSQL in ${server.repo.where}` : server.repo.where;
  io.stdout(
    `GridTier serving on ${server.url} (clock ${o.clock}, ${where}; ${server.live.replayed} events replayed, engine at ${new Date(server.live.now()).toISOString()})\n` +
      `  API docs ${server.url}/docs · OpenAPI ${server.url}/openapi.json · feed ${server.url.replace(/^http/, 'ws')}/v1/feed\n` +
      `  devices: MQTT ${server.devices?.broker ? 'embedded broker' : 'broker'} at ${server.devices?.brokerUrl}, ${server.devices?.registry.list().length ?? 0} registered\n`,
  );
  let failed = await lifetime.wait();
  await server.close().catch((e) => {
    failed ??= e;
  });
  if (failed) {
    io.stderr(`gridtier serve: stopped: ${failed.message}\n`);
    return 1;
  }
  io.stdout(`stopped at event ${server.live.lastSeq}; everything acknowledged is kept\n`);
  return 0;
}

/**
 * Starts the server; an address that cannot be listened on, or a broker that cannot be reached,
 * is a refusal naming the options.
 */
async function listen(
  start: () => Promise<RunningServer>,
  o: { host: string; port: number; 'mqtt-port': number; broker?: string },
): Promise<RunningServer> {
  try {
    return await start();
  } catch (e) {
    if (e instanceof BrokerUnreachableError)
      throw new InvalidValueError(`--broker ${o.broker}: ${e.message}`, { cause: e });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      // the embedded broker listens before the API: say which of the two could not
      const which =
        (e as { port?: number }).port === o['mqtt-port'] && o.broker === undefined
          ? `--mqtt-port ${o['mqtt-port']}`
          : `--port ${o.port}`;
      throw new InvalidValueError(`--host ${o.host} ${which}: cannot listen there (${code})`, {
        cause: e,
      });
    }
    throw e;
  }
}
