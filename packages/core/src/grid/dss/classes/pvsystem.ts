import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import type { InverterOutput } from '../../model/index.js';
import { baseFreqProp, type EditContext, inertProps, type PropertyDef, refusedProps } from '../class-def.js';
import type { BusSpec, ValueReader } from '../values.js';
import {
  type DerTerminal,
  type InjectionClassDef,
  kvarAtPf,
  likeWithoutBus,
  type PowerInjection,
  shapeProp,
  withVBase,
} from './der.js';

export interface PVSystemObj extends DerTerminal {
  readonly className: string;
  name: string;
  location: SourceLocation;
  enabled: boolean;
  bus1: BusSpec | undefined;
  phases: number;
  kv: number;
  /** kW/m² in a snapshot (the loadshape multiplies it in time series) */
  irradiance: number;
  pmppKw: number;
  pctPmpp: number;
  pf: number;
  /** the reactive set point: a power factor (last written pf) or kvar (last written kvar) */
  varMode: 'pf' | 'kvar';
  kvarRequested: number;
  conn: 'wye' | 'delta';
  kva: number;
  pctCutIn: number;
  pctCutOut: number;
  model: 1 | 2;
  vMinPu: number;
  vMaxPu: number;
  varFollowInverter: boolean;
  wattPriority: boolean;
  pfPriority: boolean;
  pctPminNoVars: number;
  kvarMax: number;
  kvarMaxAbs: number;
  kvarMaxSet: boolean;
  kvarMaxAbsSet: boolean;
  vBaseV: number;
  /** the kW cap an InvControl's volt-watt mode requests; undefined outside that mode */
  vwKwRequested: number | undefined;
  yearly: string | undefined;
  daily: string | undefined;
  duty: string | undefined;
}

const flag = (
  name: string,
  key: 'varFollowInverter' | 'wattPriority' | 'pfPriority',
): PropertyDef<PVSystemObj> => ({
  name,
  set: (o, v) => void (o[key] = v.boolean()),
});

function setModel(o: PVSystemObj, v: ValueReader, ctx: EditContext): void {
  const m = v.integer();
  if (m !== 1 && m !== 2)
    throw new UnsupportedFeatureError(`PVSystem model=${m} is not supported (supported: 1, 2)`, {
      location: ctx.location,
    });
  o.model = m;
}

function setKva(o: PVSystemObj, kva: number): void {
  o.kva = kva;
  if (!o.kvarMaxSet) o.kvarMax = kva;
  if (!o.kvarMaxSet && !o.kvarMaxAbsSet) o.kvarMaxAbs = kva;
}

/**
 * OpenDSS's PVSystem in a snapshot: the panel gives irradiance × Pmpp (no temperature or
 * efficiency curve), the inverter cuts out below %cutout of its kVA, limits kW to %Pmpp of Pmpp,
 * sets kvar from pf or kvar within kvarMax/kvarMaxAbs, and keeps within its kVA with reactive
 * power first unless WattPriority (or PFPriority in pf mode) says otherwise.
 */
export const pvSystemClass: InjectionClassDef<PVSystemObj> = {
  name: 'PVSystem',
  props: [
    { name: 'phases', set: withVBase<PVSystemObj>((o, v) => void (o.phases = v.integer(1, 100))) },
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'kv', set: withVBase<PVSystemObj>((o, v) => void (o.kv = v.positive())) },
    { name: 'irradiance', set: (o, v) => void (o.irradiance = v.nonNegative()) },
    { name: 'pmpp', set: (o, v) => void (o.pmppKw = v.nonNegative()) },
    { name: '%pmpp', set: (o, v) => void (o.pctPmpp = v.nonNegative()) },
    // without a P-TCurve the temperature changes nothing
    ...inertProps<PVSystemObj>(['temperature']),
    {
      name: 'pf',
      set: (o, v, ctx) => {
        const pf = v.number();
        if (pf === 0 || Math.abs(pf) > 1)
          throw new InvalidValueError(
            `PVSystem.${o.name} pf=${v.raw}: a power factor lies in [-1, 0) or (0, 1]`,
            {
              location: ctx.location,
            },
          );
        o.pf = pf;
        o.varMode = 'pf';
      },
    },
    { name: 'conn', set: withVBase<PVSystemObj>((o, v) => void (o.conn = v.connection())) },
    {
      name: 'kvar',
      set: (o, v) => {
        o.kvarRequested = v.number();
        o.varMode = 'kvar';
      },
    },
    { name: 'kva', set: (o, v) => setKva(o, v.positive()) },
    { name: '%cutin', set: (o, v) => void (o.pctCutIn = v.nonNegative()) },
    { name: '%cutout', set: (o, v) => void (o.pctCutOut = v.nonNegative()) },
    // the inverter does not yet apply efficiency or temperature curves: naming one is refused
    ...refusedProps<PVSystemObj>('PVSystem', ['effcurve', 'p-tcurve'], ['']),
    // %R and %X form the Thevenin impedance of dynamics and harmonics only
    ...inertProps<PVSystemObj>(['%r', '%x']),
    { name: 'model', set: setModel },
    { name: 'vminpu', set: (o, v) => void (o.vMinPu = v.nonNegative()) },
    { name: 'vmaxpu', set: (o, v) => void (o.vMaxPu = v.nonNegative()) },
    ...refusedProps<PVSystemObj>('PVSystem', ['balanced', 'limitcurrent'], ['no', 'n', 'false', 'f']),
    shapeProp<PVSystemObj>('yearly'),
    shapeProp<PVSystemObj>('daily'),
    shapeProp<PVSystemObj>('duty'),
    ...inertProps<PVSystemObj>(['tyearly', 'tdaily', 'tduty', 'class']),
    ...refusedProps<PVSystemObj>('PVSystem', ['usermodel', 'userdata'], ['']),
    ...inertProps<PVSystemObj>(['debugtrace']),
    flag('varfollowinverter', 'varFollowInverter'),
    ...inertProps<PVSystemObj>(['dutystart']),
    flag('wattpriority', 'wattPriority'),
    flag('pfpriority', 'pfPriority'),
    { name: '%pminnovars', set: (o, v) => void (o.pctPminNoVars = v.number()) },
    ...refusedProps<PVSystemObj>('PVSystem', ['%pminkvarmax'], ['0', '-1']),
    {
      name: 'kvarmax',
      set: (o, v) => {
        o.kvarMax = v.nonNegative();
        o.kvarMaxSet = true;
        if (!o.kvarMaxAbsSet) o.kvarMaxAbs = o.kvarMax;
      },
    },
    {
      name: 'kvarmaxabs',
      set: (o, v) => {
        o.kvarMaxAbs = v.nonNegative();
        o.kvarMaxAbsSet = true;
      },
    },
    // grid-forming and dynamic-model settings
    ...inertProps<PVSystemObj>(['kvdc', 'kp', 'pitol', 'safevoltage', 'safemode', 'dynamiceq', 'dynout']),
    ...refusedProps<PVSystemObj>('PVSystem', ['controlmode'], ['gfl']),
    ...inertProps<PVSystemObj>(['amplimit', 'amplimitgain', 'spectrum']),
    baseFreqProp<PVSystemObj>('PVSystem'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): PVSystemObj => ({
    className: 'PVSystem',
    name,
    location,
    enabled: true,
    bus1: undefined,
    phases: 3,
    kv: 12.47,
    irradiance: 1,
    pmppKw: 500,
    pctPmpp: 100,
    pf: 1,
    varMode: 'pf',
    kvarRequested: 0,
    conn: 'wye',
    kva: 500,
    pctCutIn: 20,
    pctCutOut: 20,
    model: 1,
    vMinPu: 0.9,
    vMaxPu: 1.1,
    varFollowInverter: false,
    wattPriority: false,
    pfPriority: false,
    pctPminNoVars: 0,
    kvarMax: 500,
    kvarMaxAbs: 500,
    kvarMaxSet: false,
    kvarMaxAbsSet: false,
    vBaseV: 7200,
    vwKwRequested: undefined,
    yearly: undefined,
    daily: undefined,
    duty: undefined,
  }),
  like: likeWithoutBus,
  injection: (o) => {
    if (!o.bus1) return undefined;
    const { kw, kvar } = pvOutput(o);
    return {
      bus1: o.bus1,
      phases: o.phases,
      conn: o.conn,
      vBaseV: o.vBaseV,
      pKw: kw,
      qKvar: kvar,
      model: o.model === 1 ? 'constantPQ' : 'constantZ',
      vMinPu: o.vMinPu,
      vMaxPu: o.vMaxPu,
    } satisfies PowerInjection;
  },
};

/** The inverter's kW and kvar at the panel power a snapshot's irradiance gives. */
export function pvOutput(o: PVSystemObj, irradianceMult = 1): { kw: number; kvar: number } {
  const panelKw = o.irradiance * irradianceMult * o.pmppKw;
  const on = inverterOn(o, panelKw);
  // in volt-watt mode the request replaces the %Pmpp cap, as in OpenDSS's kWOut_Calc
  const capKw = o.vwKwRequested ?? (o.pmppKw * o.pctPmpp) / 100;
  let kw = on ? Math.min(panelKw, capKw) : 0;
  let kvar: number;
  if (Math.abs(kw) < pMinNoVarsKw(o)) kvar = 0;
  else if (o.varMode === 'pf') {
    kvar = kvarAtPf(kw, o.pf);
    if (Math.abs(kvar) > o.kvarMax || Math.abs(kvar) > o.kvarMaxAbs) {
      const limit = kvar > 0 ? o.kvarMax : o.kvarMaxAbs;
      kvar = limit * Math.sign(kw) * Math.sign(o.pf);
      if (o.pfPriority) kw = kvar * Math.sqrt(1 / (1 - o.pf * o.pf) - 1) * Math.sign(o.pf);
    }
  } else {
    const q = o.kvarRequested;
    kvar = q > 0 && q >= o.kvarMax ? o.kvarMax : q < 0 && -q >= o.kvarMaxAbs ? -o.kvarMaxAbs : q;
    // with PF priority a limited kvar takes kW down with it, keeping the requested power factor
    if (kvar !== q && o.pfPriority && kw !== 0) kw = Math.abs(kvar) * Math.abs(kw / q) * Math.sign(kw);
  }
  if (!on && o.varFollowInverter) kvar = 0;
  if (Math.hypot(kw, kvar) > o.kva) {
    if (o.varMode === 'pf' && o.pfPriority) {
      kw = o.kva * Math.abs(o.pf);
      kvar = o.kva * Math.sqrt(1 - o.pf * o.pf) * Math.sign(o.pf);
    } else if (o.varMode === 'kvar' && o.pfPriority) {
      kw = o.kva * Math.abs(Math.cos(Math.atan(kvar / kw))) * Math.sign(kw);
      kvar = o.kva * Math.abs(Math.sin(Math.acos(kw / o.kva))) * Math.sign(o.kvarRequested);
    } else if (o.wattPriority) {
      if (kw > o.kva) [kw, kvar] = [o.kva, 0];
      else kvar = Math.sqrt(o.kva * o.kva - kw * kw) * Math.sign(kvar);
    } else kw = Math.sqrt(o.kva * o.kva - kvar * kvar) * Math.sign(kw);
  }
  return { kw, kvar };
}

/** A snapshot starts with the inverter on; it switches off below the cut-out power. */
function inverterOn(o: PVSystemObj, panelKw: number): boolean {
  return panelKw >= (o.pctCutOut * o.kva) / 100;
}

/** Below this kW the inverter gives no vars (%PminNoVars); −1 when that limit is off. */
function pMinNoVarsKw(o: PVSystemObj): number {
  return o.pctPminNoVars > 0 ? (o.pctPminNoVars * o.pmppKw) / 100 : -1;
}

/**
 * The output with what an InvControl reads of the inverter (OpenDSS's CurrentkvarLimit), at the
 * irradiance multiplier of the present time step (1 in a snapshot).
 */
export function pvInverterOutput(o: PVSystemObj, irradianceMult = 1): InverterOutput {
  const { kw, kvar } = pvOutput(o, irradianceMult);
  const noVars = Math.abs(kw) < pMinNoVarsKw(o);
  return {
    kw,
    kvar,
    inverterOn: inverterOn(o, o.irradiance * irradianceMult * o.pmppKw),
    currentKvarLimit: noVars ? 0 : o.kvarMax,
    currentKvarLimitNeg: noVars ? 0 : o.kvarMaxAbs,
  };
}
