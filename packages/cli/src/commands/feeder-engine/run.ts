import { resolve } from 'node:path';
import { FeederEngine } from '@gridtier/bus';
import { nodeCrypto, WorkerLemClearer } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import { dayProgram, type LiveProgram, scenarioStartMs } from '@gridtier/server';
import { serviceLifetime, startInstantMs } from '../../framework/service.js';
import type { RunContext } from '../../framework/spec.js';
import { checkBusUrl, checkSubjectNames } from '../bus-options.js';
import { loadDay } from '../simulate/load-day.js';
import { storeLocation } from '../store-location.js';
import type { options } from './command.js';

/** gridtier feeder-engine: one feeder's engine on the bus until interrupted (or for --duration seconds). */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  checkBusUrl(o.bus);
  checkSubjectNames([
    ['feeder', o.feeder],
    ['prefix', o.prefix],
    ...(o.substation !== undefined ? [['substation', o.substation] as const] : []),
  ]);
  let startMs = startInstantMs(o.start);
  let program: ((epochMs: number) => Promise<LiveProgram>) | undefined;
  if (o.scenario !== undefined) {
    const day = loadDay(o.scenario);
    program = dayProgram({
      ...day,
      solver: await HighsSolver.create(),
      lemClearer: () => new WorkerLemClearer(day.feederPath),
      crypto: nodeCrypto(),
    });
    if (startMs === undefined && o.clock !== 'wall') startMs = scenarioStartMs(day.scenario);
  }
  // each feeder's embedded database in its own folder unless one is named
  const where = storeLocation({
    ...o,
    data: o.data ?? (o.database === undefined ? resolve('out/feeders', o.feeder) : undefined),
  });
  const lifetime = serviceLifetime(o.duration);
  const engine = await FeederEngine.start({
    url: o.bus,
    feeder: o.feeder,
    prefix: o.prefix,
    store: where,
    clock: o.clock,
    startMs,
    ...(program ? { program } : {}),
    ...(o.substation !== undefined ? { substation: o.substation } : {}),
    onFatal: (e) => lifetime.stop(e),
  });
  io.stdout(
    `GridTier feeder ${o.feeder} on ${o.bus}: orders from ${engine.topology.ordersStream}, events on ${engine.topology.eventsSubject} (${engine.live.replayed} events replayed, ${engine.publishedAtStart} published before, engine at ${new Date(engine.live.now()).toISOString()})\n`,
  );
  let failed = await lifetime.wait();
  await engine.stop().catch((e) => {
    failed ??= e;
  });
  if (failed) {
    io.stderr(`gridtier feeder-engine: stopped: ${failed.message}\n`);
    return 1;
  }
  const s = engine.stats;
  const c = engine.clearingLatency();
  const gates =
    c.gates === 0
      ? 'no gates'
      : `${c.gates} gates, gate to result on the bus p50 ${c.p50Ms.toFixed(1)} ms, max ${c.maxMs.toFixed(1)} ms`;
  io.stdout(
    `stopped at event ${engine.lastSeq}: ${s.delivered} order messages (${s.answeredAgain} answered again from the log, ${s.malformed} malformed), ${s.eventsPublished} events published, ${gates}\n`,
  );
  return 0;
}
