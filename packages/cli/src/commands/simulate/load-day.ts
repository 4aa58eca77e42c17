import { dirname, resolve } from 'node:path';
import { InvalidValueError } from '@gridtier/core/errors';
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

/** A day scenario and what it names beside it: the feeder script and the DER inventory. */
export function loadDay(scenarioPath: string, seed?: number): DayInputs {
  const doc = readJsonObject(scenarioPath);
  if (seed !== undefined) doc.seed = seed;
  const scenario = sim.parseDayScenario(doc, scenarioPath);
  const base = dirname(resolve(scenarioPath));
  const feederPath = resolve(base, scenario.feeder);
  const inventoryPath = resolve(base, scenario.inventory);
  const inventory = sim.parseInventory(readJsonObject(inventoryPath), inventoryPath);
  const feeder = () => {
    const script = runScript(limitedScriptHost(), feederPath);
    if (!script.result?.converged)
      throw new InvalidValueError(`${feederPath}: the feeder's base power flow does not converge`);
    return script.state;
  };
  feeder();
  return { scenario, inventory, feeder, feederPath };
}
