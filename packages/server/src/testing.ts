import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScript } from '@gridtier/core/grid/powerflow';
import { nodeScriptHost, WorkerLemClearer } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import { type ProsumerSite, parseDayScenario, parseInventory } from '@gridtier/core/sim';
import type { TimeSource } from '@gridtier/core/time';
import { dayProgram, scenarioStartMs } from './live/index.js';
import { type RunningServer, startServer } from './server.js';

/**
 * Real time a test moves by hand. Sleeping takes real time (so a server's loop does not spin),
 * but the clock the server follows moves only when the test says.
 */
export class HandTime implements TimeSource {
  t = 1_000_000;

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  /** Moves a server's engine to `engineMs` and waits until the step that got there is over and kept. */
  async advance(server: RunningServer, engineMs: number): Promise<void> {
    const speed = server.live.speed;
    this.t += Math.max(0, engineMs - server.live.now()) / speed;
    while (server.live.now() < engineMs) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.live.read(() => {});
    await server.live.durable();
  }
}

export interface DayServer extends RunningServer {
  day: { dayStartMs: number; sites: ProsumerSite[] };
}

const example = (p: string) => fileURLToPath(new URL(`../../../examples/${p}`, import.meta.url));
const readJson = (p: string) => JSON.parse(readFileSync(example(p), 'utf8'));

/**
 * A server running the project's residential scenario with its first `homes` homes (every
 * market and agent kind still runs) on a clock 600 times real time that `time` moves, data in
 * `dir`; its day is the scenario's own, with `changes` to the scenario's fields.
 */
export async function residentialDayServer(
  dir: string,
  time: HandTime,
  homes: number,
  changes: Record<string, unknown> = {},
): Promise<DayServer> {
  const full = parseInventory(readJson('feeders/gridtier-residential/der.json'));
  const inventory = { ...full, prosumers: full.prosumers.slice(0, homes) };
  const scenario = parseDayScenario({ ...readJson('scenarios/residential-day.json'), ...changes });
  const feederPath = example('feeders/gridtier-residential/master.dss');
  const server = await startServer({
    data: dir,
    clock: 'x600',
    startMs: scenarioStartMs(scenario),
    port: 0,
    stepMs: 2,
    source: time,
    program: dayProgram({
      scenario,
      inventory,
      feeder: () => runScript(nodeScriptHost, feederPath).state,
      solver: await HighsSolver.create(),
      // as `gridtier serve` clears the LEM: in a worker thread
      lemClearer: () => new WorkerLemClearer(feederPath),
    }),
  });
  return {
    ...server,
    day: { dayStartMs: Date.parse(`${scenario.date}T00:00:00Z`), sites: inventory.prosumers },
  };
}
