import type { DssCircuitState } from '@gridtier/core/grid/dss';
import type * as L from '@gridtier/core/ledger';
import type { LemClearer } from '@gridtier/core/market';
import type { LpSolver } from '@gridtier/core/opt';
import { buildDay, DAY_LEAD_MS, type DayScenario, firstWholeDayMs, type Inventory } from '@gridtier/core/sim';
import { hourlyPrices, MS_PER_DAY, MS_PER_HOUR } from '@gridtier/core/time';
import type { LiveProgram } from './live-markets.js';

export interface DayProgramInputs {
  scenario: DayScenario;
  inventory: Inventory;
  /** a fresh copy of the feeder (the markets and the DSO each hold one) */
  feeder: () => DssCircuitState;
  solver: LpSolver;
  /** who clears the LEM's markets (a worker thread, so the server answers while they clear); `solver` in this thread by default */
  lemClearer?: () => LemClearer;
  crypto?: L.CryptoSuite;
}

/**
 * A scenario's markets and built-in agents live: the day they run is the first whole day after
 * the server's first start (its day-ahead market still to come), so a restart, which has the
 * same first start, builds the same day. Outside clients trade beside the agents.
 */
export function dayProgram(inputs: DayProgramInputs): (epochMs: number) => Promise<LiveProgram> {
  return async (epochMs) => {
    const dayMs = firstWholeDayMs(epochMs);
    const scenario = { ...inputs.scenario, date: new Date(dayMs).toISOString().slice(0, 10) };
    const day = await buildDay(scenario, inputs.feeder(), inputs.inventory, {
      solver: inputs.solver,
      ...(inputs.lemClearer ? { lemClearer: inputs.lemClearer() } : {}),
      ...(inputs.crypto ? { crypto: inputs.crypto } : {}),
    });
    const retail = hourlyPrices(scenario.retailUsdPerKwh);
    const feedIn = hourlyPrices(scenario.feedInUsdPerKwh);
    const hourOf = (t: number) =>
      Math.floor(((((t - dayMs) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
    return {
      markets: day.markets,
      agents: (engine) => day.attach(engine),
      firstDayMs: day.dayStartMs,
      // a metered shortfall is bought at the retail price, a surplus sold at feed-in
      imbalancePrices: (t) => ({
        shortfallUsdPerKwh: retail[hourOf(t)],
        surplusUsdPerKwh: feedIn[hourOf(t)],
      }),
    };
  };
}

/** Where an accelerated clock starts by default for a scenario: so that its own date is the day run. */
export function scenarioStartMs(scenario: DayScenario): number {
  return Date.parse(`${scenario.date}T00:00:00Z`) - DAY_LEAD_MS;
}
