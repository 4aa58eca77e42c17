import { UnsupportedFeatureError } from '../../errors/index.js';
import { LoadElement, type Network, PvGeneratorElement } from '../model/index.js';
import type { DssCircuitState, SolveMode } from './circuit-state.js';
import type { DssObject } from './class-def.js';
import type { GeneratorObj } from './classes/generator.js';
import type { LoadObj } from './classes/load.js';
import { type LoadShapeObj, shapeAt } from './classes/loadshape.js';
import { type PVSystemObj, pvOutput } from './classes/pvsystem.js';
import type { StorageObj } from './classes/storage.js';

/**
 * How one load or generator of a built network follows time: the factors on its built (nominal)
 * P and Q at an hour of the solution clock.
 */
export interface ShapeScale {
  element: LoadElement | PvGeneratorElement;
  at(hour: number): { mP: number; mQ: number };
  /** a PV system's irradiance multiplier at the hour, for one an inverter control sets itself */
  irradianceMult?(hour: number): number;
}

type ShapeKey = 'daily' | 'yearly' | 'duty';

/**
 * The shape an element follows in a mode, with OpenDSS's fall-backs: a load's yearly shape is its
 * daily one until a yearly one is named, a duty shape falls back to the daily one; none: 1.
 */
function shapeFor(
  state: DssCircuitState,
  o: { daily?: string; yearly?: string; duty?: string },
  mode: SolveMode,
  order: ShapeKey[],
): LoadShapeObj | undefined {
  const keys: ShapeKey[] = mode === 'yearly' ? order : mode === 'duty' ? ['duty', 'daily'] : ['daily'];
  for (const k of keys) {
    const name = o[k];
    if (name) return state.get<LoadShapeObj>('LoadShape', name);
  }
  return undefined;
}

const ratio = (target: number, built: number, what: string): number => {
  if (built !== 0) return target / built;
  if (target === 0) return 0;
  throw new UnsupportedFeatureError(`${what}: a time step gives it power but it was built with none`);
};

/** OpenDSS's SetNominalLoad for daily, yearly and duty modes, relative to the snapshot build. */
function loadScale(state: DssCircuitState, o: LoadObj, mode: SolveMode): ShapeScale['at'] {
  const { loadMult } = state.options;
  const built = o.status === 'variable' ? loadMult : 1;
  if (o.status === 'fixed') return () => ({ mP: 1, mQ: 1 });
  const factor = mode === 'yearly' || o.status !== 'exempt' ? loadMult : 1;
  const shape = shapeFor(state, o, mode, ['yearly']);
  const id = `Load.${o.name}`;
  return (hour) => {
    const s = shape ? shapeAt(shape, hour) : { p: 1, q: 1 };
    if (!shape?.useActual) return { mP: (factor * s.p) / built, mQ: (factor * s.q) / built };
    // an actual shape gives kW (and kvar from qmult, else from a given power factor)
    const q =
      s.q !== 0
        ? s.q
        : o.pfSpecified && o.pf !== 1
          ? s.p * Math.sqrt(1 / (o.pf * o.pf) - 1) * Math.sign(o.pf)
          : 0;
    return { mP: ratio(s.p, o.kw * built, id), mQ: ratio(q, o.kvar * built, id) };
  };
}

/** A generator follows its shape times GenMult (fixed ones ignore GenMult); yearly and duty fall back to daily. */
function generatorScale(state: DssCircuitState, o: GeneratorObj, mode: SolveMode): ShapeScale['at'] {
  const factor = o.fixed ? 1 : state.options.genMult;
  const shape = shapeFor(state, o, mode, ['yearly', 'daily']);
  const id = `Generator.${o.name}`;
  return (hour) => {
    const s = shape ? shapeAt(shape, hour) : { p: 1, q: 1 };
    if (shape?.useActual) return { mP: ratio(s.p, o.kw * factor, id), mQ: ratio(s.q, o.kvar * factor, id) };
    return { mP: s.p, mQ: s.q };
  };
}

/** A PV system's shape multiplies its irradiance; the inverter then sets kW and kvar again. */
function pvScale(
  state: DssCircuitState,
  o: PVSystemObj,
  mode: SolveMode,
): Pick<ShapeScale, 'at' | 'irradianceMult'> {
  if (o.pctCutIn !== o.pctCutOut)
    throw new UnsupportedFeatureError(
      `PVSystem.${o.name}: %cutin ≠ %cutout needs the inverter's on/off state over time, which is not modelled`,
      { location: o.location },
    );
  const shape = shapeFor(state, o, mode, ['yearly', 'daily']);
  const nominal = pvOutput(o);
  const id = `PVSystem.${o.name}`;
  const irradianceMult = (hour: number) => (shape ? shapeAt(shape, hour).p : 1);
  return {
    at: (hour) => {
      const out = pvOutput(o, irradianceMult(hour));
      return { mP: ratio(out.kw, nominal.kw, id), mQ: ratio(out.kvar, nominal.kvar, id) };
    },
    irradianceMult,
  };
}

/** Every load, generator and PV system of the network with the way it follows the clock. */
export function timeSeriesScales(state: DssCircuitState, network: Network, mode: SolveMode): ShapeScale[] {
  const out: ShapeScale[] = [];
  for (const el of network.elements) {
    if (!(el instanceof LoadElement) && !(el instanceof PvGeneratorElement)) continue;
    const dot = el.id.indexOf('.');
    const o = state.get<DssObject>(el.id.slice(0, dot), el.id.slice(dot + 1));
    // storage follows time by its own state (storageSteps), not by scaling its built power
    if (!o || o.className === 'Storage') continue;
    if (o.className === 'PVSystem') {
      out.push({ element: el, ...pvScale(state, o as PVSystemObj, mode) });
      continue;
    }
    const at =
      o.className === 'Load'
        ? loadScale(state, o as LoadObj, mode)
        : o.className === 'Generator'
          ? generatorScale(state, o as GeneratorObj, mode)
          : undefined;
    if (!at)
      throw new UnsupportedFeatureError(`${el.id}: following load shapes is not modelled for this class`, {
        location: o.location,
      });
    out.push({ element: el, at });
  }
  return out;
}

/** A storage unit of a built network and the value its shape gives at an hour (1 without one). */
export interface StorageStep {
  obj: StorageObj;
  element: LoadElement;
  level(hour: number): number;
}

/** Every storage unit of the network with its shape (duty and yearly fall back to daily). */
export function storageSteps(state: DssCircuitState, network: Network, mode: SolveMode): StorageStep[] {
  const out: StorageStep[] = [];
  for (const el of network.elements) {
    if (!(el instanceof LoadElement) || !el.id.startsWith('Storage.')) continue;
    const obj = state.get<StorageObj>('Storage', el.id.slice('Storage.'.length));
    if (!obj) continue;
    const shape = shapeFor(state, obj, mode, ['yearly', 'daily']);
    out.push({ obj, element: el, level: (hour) => (shape ? shapeAt(shape, hour).p : 1) });
  }
  return out;
}
