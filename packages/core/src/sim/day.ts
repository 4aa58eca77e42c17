import { MARKETS } from '../agents/index.js';
import type { Agent, EventLog } from '../engine/index.js';
import { Engine } from '../engine/index.js';
import type { DssCircuitState } from '../grid/dss/index.js';
import type * as L from '../ledger/index.js';
import type { LpSolver } from '../opt/index.js';
import { HOURS_PER_DAY, MS_PER_DAY, MS_PER_HOUR, minutesMs, SimulatedClock } from '../time/index.js';
import { buildDay } from './build.js';
import type { Inventory } from './inventory.js';
import type { DayScenario } from './scenario.js';

export interface DayOptions {
  solver: LpSolver;
  /** where the day's events go; in memory by default */
  log?: EventLog;
  /** the ledger the Layer I trades settle on; an in-memory one by default */
  ledger?: L.Ledger;
  crypto?: L.CryptoSuite;
  onProgress?: (message: string) => void;
  /** agents beside the built-in ones (tests, outside strategies) */
  extraAgents?: readonly Agent[];
}

export interface DayRun {
  engine: Engine;
  dayStartMs: number;
  /** wall time per market kind and agent kind, and the world, ms */
  wallMs: Record<string, number>;
}

/**
 * One day of the whole hierarchy (see buildDay) as markets and agents on the engine's
 * simulated clock, from the afternoon before to just after midnight: every market opening,
 * taking orders until its gate, clearing and publishing. What happened is the event log.
 */
export async function runDay(
  scenario: DayScenario,
  feeder: DssCircuitState,
  inventory: Inventory,
  options: DayOptions,
): Promise<DayRun> {
  const progress = options.onProgress ?? (() => {});
  const day = await buildDay(scenario, feeder, inventory, options);
  const { dayStartMs } = day;
  const engine = new Engine({
    clock: new SimulatedClock(day.engineStartMs),
    timing: true,
    ...(options.log ? { log: options.log } : {}),
  });
  for (const m of day.markets) engine.addMarket(m);
  day.attach(engine);
  engine.observe(['market.cleared'], (e) => {
    const p = e.payload as { market: string; session: string; result: { status?: string } };
    if (p.market === MARKETS.lemDayAhead) progress(`day-ahead LEM cleared: ${p.result.status}`);
    else if (p.market === MARKETS.lemRealTime && e.t % (6 * MS_PER_HOUR) === 0 && e.t > dayStartMs)
      progress(`${(e.t - dayStartMs) / MS_PER_HOUR} h of ${HOURS_PER_DAY} cleared in real time`);
  });
  engine.planDay(dayStartMs);
  await engine.run(dayStartMs + MS_PER_DAY + minutesMs(10));
  const wallMs = Object.fromEntries([...engine.wallMs].map(([k, v]) => [k, v]));
  wallMs.world = (wallMs.world ?? 0) + day.worldBuildMs;
  return { engine, dayStartMs, wallMs };
}
