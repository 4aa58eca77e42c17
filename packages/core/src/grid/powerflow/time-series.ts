import { type SourceLocation, UnsupportedFeatureError } from '../../errors/index.js';
import {
  type DssCircuitState,
  storageOutput,
  storageSteps,
  storageTrigger,
  timeSeriesScales,
  updateStorage,
} from '../dss/index.js';
import type { InverterDer, LoadElement, PvGeneratorElement } from '../model/index.js';
import { InverterController } from './inverter-controller.js';
import { monitorProbes, sampleMonitors } from './monitors.js';
import type { SnapshotOptions, SnapshotSolver, SnapshotStats } from './snapshot.js';

/**
 * OpenDSS's daily, yearly and duty-cycle solutions: for each of `number` steps the clock moves on
 * by the step size first, every load, generator and PV system takes its shape's value at the new
 * hour, the circuit is solved with the control loop from the previous step's voltages, and
 * every monitor takes a sample. Under time-driven control (a duty cycle's default) a control's
 * action (a regulator's tap, a capacitor control's switching) waits on the queue until the clock
 * reaches it, across steps. The clock stays where the run ends, as OpenDSS's does.
 */
export function solveTimeSeries(
  state: DssCircuitState,
  solver: SnapshotSolver,
  opts: SnapshotOptions,
  location: SourceLocation,
  warn: (message: string, where: SourceLocation) => void,
): SnapshotStats {
  const o = state.options;
  const scales = timeSeriesScales(state, solver.network, o.mode);
  const storages = storageSteps(state, solver.network, o.mode);
  const probes = monitorProbes(state, solver, (m, why) =>
    warn(`skipped Monitor.${m.name}: ${why}`, m.location),
  );
  // PV systems under an inverter control take the vars (and kW cap) it gave them, at each step's irradiance
  const inverterDers = new Map<LoadElement | PvGeneratorElement, InverterDer>();
  for (const c of solver.network.invControls) for (const d of c.ders) inverterDers.set(d.element, d);
  const inverterControllers = solver.controllers.filter((c) => c instanceof InverterController);
  const clock = o.clock;
  let stats: SnapshotStats | undefined;
  for (let n = 0; n < clock.number; n++) {
    clock.sec += clock.stepSec;
    while (clock.sec >= 3600) {
      clock.hour++;
      clock.sec -= 3600;
    }
    const hour = clock.hour + clock.sec / 3600;
    for (const s of scales) {
      const der = inverterDers.get(s.element);
      if (der && s.irradianceMult) {
        der.setIrradianceMult(s.irradianceMult(hour));
        const out = der.present();
        solver.setInjectionPower(der.element, out.kw, out.kvar);
        continue;
      }
      const { mP, mQ } = s.at(hour);
      solver.scaleLoad(s.element, mP, mQ);
    }
    const stepHours = clock.stepSec / 3600;
    for (const s of storages) {
      // OpenDSS's SetNominalDEROutput: the shape's value picks the state, then the inverter its power
      const level = s.level(hour);
      storageTrigger(s.obj, level, hour % 24, stepHours);
      const out = storageOutput(s.obj, s.obj.dispatch === 'follow' ? level : undefined);
      solver.setInjectionPower(s.element, out.kw, out.kvar);
    }
    stats = solver.solve({ ...opts, nowSec: clock.hour * 3600 + clock.sec });
    sampleMonitors(probes, solver, clock.hour, clock.sec);
    for (const s of storages) {
      // the stored energy moves at the end of the step by what the terminals delivered
      updateStorage(s.obj, solver.injectionPowerKw(s.element), stepHours);
    }
    for (const c of inverterControllers) c.endTimeStep();
  }
  if (!stats) throw new UnsupportedFeatureError(`mode=${o.mode}: number of steps is 0`, { location });
  return stats;
}
