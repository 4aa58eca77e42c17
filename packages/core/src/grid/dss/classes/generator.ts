import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import type { DssCircuitState } from '../circuit-state.js';
import { baseFreqProp, type EditContext, inertProps, type PropertyDef, refusedProps } from '../class-def.js';
import type { BusSpec, ValueReader } from '../values.js';
import {
  type DerTerminal,
  type InjectionClassDef,
  kvarAtPf,
  likeWithoutBus,
  type PowerInjection,
  type VoltageRegulation,
  withVBase,
} from './der.js';
import { actualPowerOf } from './loadshape.js';

export interface GeneratorObj extends DerTerminal {
  readonly className: string;
  name: string;
  location: SourceLocation;
  enabled: boolean;
  bus1: BusSpec | undefined;
  phases: number;
  kv: number;
  kw: number;
  kvar: number;
  /** power factor the kW follows; OpenDSS keeps kvar = kW·tan(acos pf) whenever kW or pf is set */
  pf: number;
  model: 1 | 2 | 3;
  /** model 3: the voltage held, per unit of kV */
  vPu: number;
  /** model 3: the var limits, kvar for the whole generator */
  kvarMax: number;
  kvarMin: number;
  /** model 3: the share of the estimated var step taken per iteration */
  pvFactor: number;
  /** model 3: vars and dQ/dV where the last solution left them (OpenDSS keeps both on the object) */
  pvState: { qVarPerPhase: number; dqdv: number } | undefined;
  vMinPu: number;
  vMaxPu: number;
  conn: 'wye' | 'delta';
  /** fixed generators ignore the circuit's generation multiplier */
  fixed: boolean;
  dispatch: 'default' | 'loadlevel';
  dispatchValue: number;
  forceOn: boolean;
  /** OpenDSS's VBase starts at 7200 V and follows kV and conn when they are set */
  vBaseV: number;
  yearly: string | undefined;
  daily: string | undefined;
  duty: string | undefined;
}

const MODEL_NAMES: Record<number, string> = {
  4: 'constant P with fixed Q',
  5: 'constant P with fixed-impedance Q',
  6: 'a user-written model (a Windows DLL)',
  7: 'current-limited constant P and Q',
};

function setModel(o: GeneratorObj, v: ValueReader, ctx: EditContext): void {
  const m = v.integer();
  if (m !== 1 && m !== 2 && m !== 3)
    throw new UnsupportedFeatureError(
      `Generator model=${m}${MODEL_NAMES[m] ? ` (${MODEL_NAMES[m]})` : ''} is not supported (supported: 1 constant kW/kvar, 2 constant impedance, 3 constant kW and |V|)`,
      { location: ctx.location, details: { className: 'Generator', property: 'model' } },
    );
  o.model = m;
  // OpenDSS re-initializes the solution when a model-3 generator appears
  if (m === 3) o.pvState = undefined;
}

/** OpenDSS resets the var limits to ±2× the kvar that kW and pf give whenever either is set. */
function syncVarLimits(o: GeneratorObj): void {
  if (o.pf === 0) return;
  o.kvarMax = 2 * o.kw * Math.sqrt(1 / (o.pf * o.pf) - 1);
  o.kvarMin = -o.kvarMax;
}

function setPf(o: GeneratorObj, v: ValueReader, ctx: EditContext): void {
  const pf = v.number();
  if (Math.abs(pf) > 1)
    throw new InvalidValueError(`Generator.${o.name} pf=${v.raw}: a power factor lies in [-1, 1]`, {
      location: ctx.location,
    });
  // OpenDSS leaves everything as it was when pf = 0
  if (pf === 0) return;
  o.pf = pf;
  o.kvar = kvarAtPf(o.kw, pf);
  syncVarLimits(o);
}

function setKvar(o: GeneratorObj, kvar: number): void {
  o.kvar = kvar;
  const kva = Math.hypot(o.kw, kvar);
  o.pf = kva === 0 ? 1 : (o.kw * kvar < 0 ? -1 : 1) * (o.kw / kva);
}

function setDispatch(o: GeneratorObj, v: ValueReader, ctx: EditContext): void {
  const s = v.raw.toLowerCase();
  if (s.startsWith('d')) o.dispatch = 'default';
  else if (s.startsWith('l')) o.dispatch = 'loadlevel';
  else
    throw new UnsupportedFeatureError(
      `Generator dispmode=${v.raw}: only default and loadlevel are supported`,
      {
        location: ctx.location,
      },
    );
}

/** A shape with UseActual=yes sets the generator's kW and kvar to its peak, as OpenDSS does. */
function actualShapeProp(key: 'yearly' | 'daily' | 'duty'): PropertyDef<GeneratorObj> {
  return {
    name: key,
    set: (o, v, ctx) => {
      const { name, actual } = actualPowerOf(ctx, v.raw, key);
      o[key] = name;
      if (!actual) return;
      o.kw = actual.pKw;
      setKvar(o, actual.qKvar);
    },
  };
}

/**
 * OpenDSS's Generator as a power-flow injection: model 1 (constant kW and kvar between Vminpu
 * and Vmaxpu, constant impedance outside), model 2 (constant impedance) and model 3 (constant kW,
 * vars moved each iteration to hold |V| at Vpu within the var limits). The machine and
 * user-written models are refused, never approximated.
 */
export const generatorClass: InjectionClassDef<GeneratorObj> = {
  name: 'Generator',
  props: [
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'kv', set: withVBase<GeneratorObj>((o, v) => void (o.kv = v.positive())) },
    {
      name: 'kw',
      set: (o, v) => {
        o.kw = v.number();
        o.kvar = kvarAtPf(o.kw, o.pf);
        syncVarLimits(o);
      },
    },
    { name: 'pf', set: setPf },
    {
      name: 'kvar',
      set: (o, v) => {
        setKvar(o, v.number());
        o.kvarMax = 2 * o.kvar;
        o.kvarMin = -o.kvarMax;
      },
    },
    { name: 'model', set: setModel },
    { name: 'vminpu', set: (o, v) => void (o.vMinPu = v.nonNegative()) },
    { name: 'vmaxpu', set: (o, v) => void (o.vMaxPu = v.nonNegative()) },
    actualShapeProp('yearly'),
    actualShapeProp('daily'),
    actualShapeProp('duty'),
    { name: 'dispmode', set: setDispatch },
    { name: 'dispvalue', set: (o, v) => void (o.dispatchValue = v.number()) },
    { name: 'conn', set: withVBase<GeneratorObj>((o, v) => void (o.conn = v.connection())) },
    { name: 'status', set: (o, v) => void (o.fixed = v.raw.toLowerCase().startsWith('f')) },
    // the class is a label for reports; machine data do not enter the power-flow models
    ...inertProps<GeneratorObj>(['class']),
    { name: 'vpu', set: (o, v) => void (o.vPu = v.positive()) },
    { name: 'maxkvar', set: (o, v) => void (o.kvarMax = v.number()) },
    { name: 'minkvar', set: (o, v) => void (o.kvarMin = v.number()) },
    { name: 'pvfactor', set: (o, v) => void (o.pvFactor = v.positive()) },
    { name: 'forceon', set: (o, v) => void (o.forceOn = v.boolean()) },
    ...inertProps<GeneratorObj>(['kva', 'mva', 'xd', 'xdp', 'xdpp', 'h', 'd']),
    ...refusedProps<GeneratorObj>('Generator', ['usermodel', 'userdata', 'shaftmodel', 'shaftdata'], ['']),
    ...inertProps<GeneratorObj>(['dutystart', 'debugtrace']),
    ...refusedProps<GeneratorObj>('Generator', ['balanced'], ['no', 'n', 'false', 'f']),
    ...inertProps<GeneratorObj>(['xrdp']),
    ...refusedProps<GeneratorObj>('Generator', ['usefuel'], ['no', 'n', 'false', 'f']),
    ...inertProps<GeneratorObj>([
      'fuelkwh',
      '%fuel',
      '%reserve',
      'refuel',
      'dynamiceq',
      'dynout',
      'spectrum',
    ]),
    baseFreqProp<GeneratorObj>('Generator'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): GeneratorObj => ({
    className: 'Generator',
    name,
    location,
    enabled: true,
    bus1: undefined,
    phases: 3,
    kv: 12.47,
    kw: 1000,
    kvar: kvarAtPf(1000, 0.88),
    pf: 0.88,
    model: 1,
    vPu: 1,
    kvarMax: 120,
    kvarMin: -120,
    pvFactor: 0.1,
    pvState: undefined,
    vMinPu: 0.9,
    vMaxPu: 1.1,
    conn: 'wye',
    fixed: false,
    dispatch: 'default',
    dispatchValue: 0,
    forceOn: false,
    vBaseV: 7200,
    yearly: undefined,
    daily: undefined,
    duty: undefined,
  }),
  like: likeWithoutBus,
  injection: (o, state) => (o.bus1 ? generatorInjection(o, o.bus1, state) : undefined),
};

/** OpenDSS's snapshot dispatch: on unless the load level is below dispvalue; off is a tiny load. */
function generatorInjection(o: GeneratorObj, bus1: BusSpec, state: DssCircuitState): PowerInjection {
  const { genMult, loadMult } = state.options;
  const on = o.forceOn || o.dispatch === 'default' || !(o.dispatchValue > 0 && loadMult < o.dispatchValue);
  const factor = o.fixed ? 1 : genMult;
  return {
    bus1,
    phases: o.phases,
    conn: o.conn,
    vBaseV: o.vBaseV,
    // OpenDSS enters a generator that is off as a 0.0001 pu resistive load
    pKw: on ? o.kw * factor : -0.0001 * o.kw,
    qKvar: on ? o.kvar * factor : 0,
    model: o.model === 1 ? 'constantPQ' : 'constantZ',
    vMinPu: o.vMinPu,
    vMaxPu: o.vMaxPu,
    voltageRegulation: on && o.model === 3 ? voltageRegulation(o) : undefined,
  };
}

/** Model 3's settings per phase, as OpenDSS's RecalcElementData derives them. */
function voltageRegulation(o: GeneratorObj): VoltageRegulation {
  const n = o.phases;
  const qMaxVar = (1000 * o.kvarMax) / n;
  const qMinVar = (1000 * o.kvarMin) / n;
  const clamp = (q: number) => Math.min(qMaxVar, Math.max(qMinVar, q));
  const qKvarVar = (1000 * o.kvar) / n;
  return {
    vPu: o.vPu,
    vTargetV: (o.vPu * 1000 * o.kv) / (n > 1 ? Math.sqrt(3) : 1),
    qMaxVar,
    qMinVar,
    pvFactor: o.pvFactor,
    qAtBuildVar: clamp(qKvarVar),
    qStartVar: o.pvState ? o.pvState.qVarPerPhase : qKvarVar,
    qKvarVar,
    dqdv: o.pvState?.dqdv,
  };
}
