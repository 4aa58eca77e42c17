import { basename, dirname, resolve } from 'node:path';
import { ConvergenceError, InvalidValueError } from '@gridtier/core/errors';
import type { DssCircuitState } from '@gridtier/core/grid/dss';
import { runScript } from '@gridtier/core/grid/powerflow';
import * as sim from '@gridtier/core/sim';
import { limitedScriptHost, readJsonObject } from '../../inputs.js';

export interface DayInputs {
  scenario: sim.DayScenario;
  inventory: sim.Inventory;
  /** a fresh copy of the feeder for each day */
  feeder: () => DssCircuitState;
  /** the feeder's script, for a worker that loads its own copy */
  feederPath: string;
}

/**
 * A day scenario and what it names beside it: the feeder script and the DER inventory, read
 * from its file or, for `inventory: "from-feeder"` (the default), placed at the feeder's loads.
 */
export function loadDay(scenarioPath: string, seed?: number): DayInputs {
  const doc = readJsonObject(scenarioPath);
  if (seed !== undefined) doc.seed = seed;
  return dayOf(sim.parseDayScenario(doc, scenarioPath), dirname(resolve(scenarioPath)));
}

/** A day on a feeder script alone: the scenario's defaults and the prosumers at the feeder's loads. */
export function loadFeederDay(feederPath: string, seed?: number): DayInputs {
  const doc = { name: basename(feederPath).replace(/\.dss$/i, ''), feeder: resolve(feederPath) };
  return dayOf(sim.parseDayScenario(seed === undefined ? doc : { ...doc, seed }, feederPath), '.');
}

function dayOf(scenario: sim.DayScenario, base: string): DayInputs {
  const feederPath = resolve(base, scenario.feeder);
  const feeder = () => loadFeeder(feederPath);
  const first = feeder();
  let inventory: sim.Inventory;
  if (scenario.inventory === sim.FROM_FEEDER) {
    const made = sim.inventoryFromFeeder(first, scenario.feederInventory ?? {}, feederPath);
    inventory = { seed: made.seed, prosumers: made.prosumers };
  } else {
    const inventoryPath = resolve(base, scenario.inventory);
    inventory = sim.parseInventory(readJsonObject(inventoryPath), inventoryPath);
  }
  return { scenario, inventory, feeder, feederPath };
}

/** A feeder script run to its base power flow; refused, naming the file, when that does not converge. */
export function loadFeeder(feederPath: string): DssCircuitState {
  let script: ReturnType<typeof runScript>;
  try {
    script = runScript(limitedScriptHost(), feederPath);
  } catch (e) {
    // the solver's message says how far it got, not which feeder: name the script and the remedy
    if (e instanceof ConvergenceError)
      throw new InvalidValueError(
        `${feederPath}: the feeder's base power flow does not converge (${e.message}); a script may raise its limit with Set MaxIterations=N before Solve`,
        { cause: e },
      );
    throw e;
  }
  if (!script.result?.converged)
    throw new InvalidValueError(`${feederPath}: the feeder's base power flow does not converge`);
  return script.state;
}
