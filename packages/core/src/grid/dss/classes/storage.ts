import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
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

export type StorageState = 'charging' | 'idling' | 'discharging';

export interface StorageObj extends DerTerminal {
  readonly className: string;
  name: string;
  location: SourceLocation;
  enabled: boolean;
  bus1: BusSpec | undefined;
  phases: number;
  kv: number;
  conn: 'wye' | 'delta';
  kwRated: number;
  kva: number;
  kvaSet: boolean;
  /** fraction of kWrated the inverter may deliver (OpenDSS stores %kWrated / 100) */
  kwRatedFraction: number;
  kwhRated: number;
  kwhStored: number;
  pctReserve: number;
  state: StorageState;
  pctDischarge: number;
  pctCharge: number;
  pctEffCharge: number;
  pctEffDischarge: number;
  pctIdlingKw: number;
  pf: number;
  varMode: 'pf' | 'kvar';
  kvarRequested: number;
  kvarMax: number;
  kvarMaxAbs: number;
  kvarMaxSet: boolean;
  kvarMaxAbsSet: boolean;
  pctCutIn: number;
  pctCutOut: number;
  varFollowInverter: boolean;
  wattPriority: boolean;
  pfPriority: boolean;
  pctPminNoVars: number;
  model: 1 | 2;
  vMinPu: number;
  vMaxPu: number;
  dispatch: 'default' | 'follow';
  dischargeTrigger: number;
  chargeTrigger: number;
  /** hour of the day a charge starts on its own (TimeChargeTrig); ≤ 0: never */
  chargeTimeHour: number;
  /** the inverter's on/off state, kept between solutions (cut-in/cut-out hysteresis) */
  inverterOn: boolean;
  vBaseV: number;
  yearly: string | undefined;
  daily: string | undefined;
  duty: string | undefined;
}

const flag = (
  name: string,
  key: 'varFollowInverter' | 'wattPriority' | 'pfPriority',
): PropertyDef<StorageObj> => ({
  name,
  set: (o, v) => void (o[key] = v.boolean()),
});

const num = (
  name: string,
  key:
    | 'pctCutIn'
    | 'pctCutOut'
    | 'pctPminNoVars'
    | 'pctDischarge'
    | 'pctCharge'
    | 'pctEffCharge'
    | 'pctEffDischarge'
    | 'pctIdlingKw'
    | 'vMinPu'
    | 'vMaxPu'
    | 'dischargeTrigger'
    | 'chargeTrigger'
    | 'chargeTimeHour',
): PropertyDef<StorageObj> => ({ name, set: (o, v) => void (o[key] = v.number()) });

/** kW= sets the state and the charge or discharge rate, as OpenDSS's Set_kW does. */
function setKw(o: StorageObj, v: ValueReader): void {
  const kw = v.number();
  if (kw > 0) {
    o.state = 'discharging';
    o.pctDischarge = (kw / o.kwRated) * 100;
  } else if (kw < 0) {
    o.state = 'charging';
    o.pctCharge = (-kw / o.kwRated) * 100;
  } else o.state = 'idling';
}

function setState(o: StorageObj, v: ValueReader, ctx: EditContext): void {
  const s = v.raw.toLowerCase();
  const wanted: StorageState | undefined = s.startsWith('c')
    ? 'charging'
    : s.startsWith('d')
      ? 'discharging'
      : s.startsWith('i')
        ? 'idling'
        : undefined;
  if (!wanted)
    throw new InvalidValueError(
      `Storage.${o.name} state=${v.raw}: expected charging, discharging or idling`,
      {
        location: ctx.location,
      },
    );
  // OpenDSS declines a state the stored energy does not allow
  if (wanted === 'charging' && !(o.kwhStored < o.kwhRated)) o.state = 'idling';
  else if (wanted === 'discharging' && !(o.kwhStored > reserveKwh(o))) o.state = 'idling';
  else o.state = wanted;
}

function setDispatch(o: StorageObj, v: ValueReader, ctx: EditContext): void {
  const s = v.raw.toLowerCase();
  if (s.startsWith('d')) o.dispatch = 'default';
  else if (s.startsWith('f')) o.dispatch = 'follow';
  else
    throw new UnsupportedFeatureError(
      `Storage dispmode=${v.raw}: only default (trigger levels on the shape) and follow are supported`,
      { location: ctx.location, details: { className: 'Storage', property: 'dispmode' } },
    );
}

function setModel(o: StorageObj, v: ValueReader, ctx: EditContext): void {
  const m = v.integer();
  if (m !== 1 && m !== 2)
    throw new UnsupportedFeatureError(`Storage model=${m} is not supported (supported: 1, 2)`, {
      location: ctx.location,
    });
  o.model = m;
}

export const reserveKwh = (o: StorageObj): number => (o.kwhRated * o.pctReserve) / 100;

/**
 * OpenDSS's Storage as a power-flow injection: charging, idling or discharging at its rated kW
 * times %Charge or %Discharge (an idling unit draws its %IdlingkW), through an ideal inverter with
 * cut-in/cut-out, kW limit, pf or kvar within kvarMax/kvarMaxAbs and the kVA limit. In daily,
 * yearly and duty runs the shape's value against DischargeTrigger and ChargeTrigger sets the
 * state (dispmode=default), or the shape gives the kW (follow); the stored energy is integrated
 * after each step with the charge and discharge efficiencies and idling losses.
 */
export const storageClass: InjectionClassDef<StorageObj> = {
  name: 'Storage',
  props: [
    { name: 'phases', set: withVBase<StorageObj>((o, v) => void (o.phases = v.integer(1, 100))) },
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'kv', set: withVBase<StorageObj>((o, v) => void (o.kv = v.positive())) },
    { name: 'conn', set: withVBase<StorageObj>((o, v) => void (o.conn = v.connection())) },
    { name: 'kw', set: setKw },
    {
      name: 'kvar',
      set: (o, v) => {
        o.kvarRequested = v.number();
        o.varMode = 'kvar';
      },
    },
    {
      name: 'pf',
      set: (o, v, ctx) => {
        const pf = v.number();
        if (pf === 0 || Math.abs(pf) > 1)
          throw new InvalidValueError(
            `Storage.${o.name} pf=${v.raw}: a power factor lies in [-1, 0) or (0, 1]`,
            {
              location: ctx.location,
            },
          );
        o.pf = pf;
        o.varMode = 'pf';
      },
    },
    {
      name: 'kva',
      set: (o, v) => {
        o.kva = v.positive();
        o.kvaSet = true;
        if (!o.kvarMaxSet) o.kvarMax = o.kva;
        if (!o.kvarMaxSet && !o.kvarMaxAbsSet) o.kvarMaxAbs = o.kva;
      },
    },
    num('%cutin', 'pctCutIn'),
    num('%cutout', 'pctCutOut'),
    // the inverter does not yet apply an efficiency curve: naming one is refused
    ...refusedProps<StorageObj>('Storage', ['effcurve'], ['']),
    flag('varfollowinverter', 'varFollowInverter'),
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
    flag('wattpriority', 'wattPriority'),
    flag('pfpriority', 'pfPriority'),
    num('%pminnovars', 'pctPminNoVars'),
    ...refusedProps<StorageObj>('Storage', ['%pminkvarmax'], ['0', '-1']),
    {
      name: 'kwrated',
      set: (o, v) => {
        o.kwRated = v.positive();
        if (!o.kvaSet) o.kva = o.kwRated;
      },
    },
    { name: '%kwrated', set: (o, v) => void (o.kwRatedFraction = v.nonNegative() / 100) },
    {
      name: 'kwhrated',
      set: (o, v) => {
        o.kwhRated = v.positive();
        // OpenDSS assumes a new rating fully charged
        o.kwhStored = o.kwhRated;
      },
    },
    { name: 'kwhstored', set: (o, v) => void (o.kwhStored = v.nonNegative()) },
    { name: '%stored', set: (o, v) => void (o.kwhStored = (v.nonNegative() * o.kwhRated) / 100) },
    { name: '%reserve', set: (o, v) => void (o.pctReserve = v.nonNegative()) },
    { name: 'state', set: setState },
    num('%discharge', 'pctDischarge'),
    num('%charge', 'pctCharge'),
    num('%effcharge', 'pctEffCharge'),
    num('%effdischarge', 'pctEffDischarge'),
    num('%idlingkw', 'pctIdlingKw'),
    // deprecated in OpenDSS: reactive idling power is not modelled there either
    ...refusedProps<StorageObj>('Storage', ['%idlingkvar'], ['0', '']),
    // %R and %X form the Thevenin impedance of dynamics and harmonics only
    ...inertProps<StorageObj>(['%r', '%x']),
    { name: 'model', set: setModel },
    num('vminpu', 'vMinPu'),
    num('vmaxpu', 'vMaxPu'),
    ...refusedProps<StorageObj>('Storage', ['balanced', 'limitcurrent'], ['no', 'n', 'false', 'f']),
    shapeProp<StorageObj>('yearly'),
    shapeProp<StorageObj>('daily'),
    shapeProp<StorageObj>('duty'),
    { name: 'dispmode', set: setDispatch },
    num('dischargetrigger', 'dischargeTrigger'),
    num('chargetrigger', 'chargeTrigger'),
    num('timechargetrig', 'chargeTimeHour'),
    ...inertProps<StorageObj>(['class']),
    ...refusedProps<StorageObj>('Storage', ['dynadll', 'dynadata', 'usermodel', 'userdata'], ['', 'none']),
    ...inertProps<StorageObj>(['debugtrace']),
    // grid-forming and dynamic-model settings
    ...inertProps<StorageObj>(['kvdc', 'kp', 'pitol', 'safevoltage', 'safemode', 'dynamiceq', 'dynout']),
    ...refusedProps<StorageObj>('Storage', ['controlmode'], ['gfl']),
    ...inertProps<StorageObj>(['amplimit', 'amplimitgain', 'spectrum']),
    baseFreqProp<StorageObj>('Storage'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): StorageObj => ({
    className: 'Storage',
    name,
    location,
    enabled: true,
    bus1: undefined,
    phases: 3,
    kv: 12.47,
    conn: 'wye',
    kwRated: 25,
    kva: 25,
    kvaSet: false,
    kwRatedFraction: 1,
    kwhRated: 50,
    kwhStored: 50,
    pctReserve: 20,
    state: 'idling',
    pctDischarge: 100,
    pctCharge: 100,
    pctEffCharge: 90,
    pctEffDischarge: 90,
    pctIdlingKw: 1,
    pf: 1,
    varMode: 'pf',
    kvarRequested: 0,
    kvarMax: 25,
    kvarMaxAbs: 25,
    kvarMaxSet: false,
    kvarMaxAbsSet: false,
    pctCutIn: 0,
    pctCutOut: 0,
    varFollowInverter: false,
    wattPriority: false,
    pfPriority: false,
    pctPminNoVars: 0,
    model: 1,
    vMinPu: 0.9,
    vMaxPu: 1.1,
    dispatch: 'default',
    dischargeTrigger: 0,
    chargeTrigger: 0,
    chargeTimeHour: 2,
    inverterOn: true,
    vBaseV: 7200,
    yearly: undefined,
    daily: undefined,
    duty: undefined,
  }),
  like: likeWithoutBus,
  injection: (o) => {
    if (!o.bus1) return undefined;
    const { kw, kvar } = storageOutput(o);
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

/**
 * OpenDSS's CheckStateTriggerLevel: the state a shape value (or follow's sign) calls for. The
 * hour of day matters only for TimeChargeTrig; stepHours is the window it allows.
 */
export function storageTrigger(o: StorageObj, level: number, hourOfDay: number, stepHours: number): void {
  const eps = 1e-12;
  if (o.dispatch === 'follow') {
    if (level > 0 && o.kwhStored - reserveKwh(o) > eps) o.state = 'discharging';
    else if (level < 0 && o.kwhStored - o.kwhRated < -eps) o.state = 'charging';
    else o.state = 'idling';
    return;
  }
  if (o.chargeTrigger === 0 && o.dischargeTrigger === 0) return;
  if (o.state === 'charging' && o.chargeTrigger !== 0) {
    if (o.chargeTrigger < level || o.kwhStored >= o.kwhRated) o.state = 'idling';
  } else if (o.state === 'discharging' && o.dischargeTrigger !== 0) {
    if (o.dischargeTrigger > level || o.kwhStored <= reserveKwh(o)) o.state = 'idling';
  }
  if (o.state === 'idling') {
    if (o.dischargeTrigger !== 0 && o.dischargeTrigger < level && o.kwhStored > reserveKwh(o))
      o.state = 'discharging';
    else if (o.chargeTrigger !== 0 && o.chargeTrigger > level && o.kwhStored < o.kwhRated)
      o.state = 'charging';
    if (o.state !== 'charging' && o.chargeTimeHour > 0 && Math.abs(hourOfDay - o.chargeTimeHour) < stepHours)
      o.state = 'charging';
  }
}

/**
 * The unit's kW and kvar at its terminals in its present state (OpenDSS's ComputePresentkW and
 * ComputeInverterPower with an ideal inverter); followKw is the shape's kW in follow mode.
 * Updates the state when the stored energy or the inverter's cut-out says so.
 */
export function storageOutput(o: StorageObj, followMult?: number): { kw: number; kvar: number } {
  const idlingKw = (o.pctIdlingKw * o.kwRated) / 100;
  let kw = 0;
  if (o.state === 'charging') {
    if (o.kwhStored < o.kwhRated)
      kw = followMult !== undefined ? o.kwRated * followMult : (-o.kwRated * o.pctCharge) / 100;
    else o.state = 'idling';
  } else if (o.state === 'discharging') {
    if (o.kwhStored > reserveKwh(o))
      kw = followMult !== undefined ? o.kwRated * followMult : (o.kwRated * o.pctDischarge) / 100;
    else o.state = 'idling';
  }
  if (o.state === 'idling') kw = -idlingKw;
  const cutOutKw = (o.pctCutOut * o.kva) / 100;
  const cutInKw = (o.pctCutIn * o.kva) / 100;
  if (o.inverterOn) {
    if (Math.abs(kw) < cutOutKw) {
      o.inverterOn = false;
      o.state = 'idling';
    }
  } else if (Math.abs(kw) >= cutInKw) o.inverterOn = true;
  else o.state = 'idling';
  if (o.inverterOn) {
    const limit = o.kwRated * o.kwRatedFraction * (o.state === 'discharging' ? 1 : -1);
    if (limit > 0 && kw > limit) kw = limit;
    else if (limit < 0 && kw < limit) kw = limit;
  } else kw = -idlingKw;

  let kvar: number;
  if (o.state === 'idling') {
    if (o.varMode === 'pf') {
      kvar = kvarAtPf(kw, o.pf);
      if (kvar > 0 && kvar > o.kvarMax) kvar = o.kvarMax;
      else if (kvar < 0 && -kvar > o.kvarMaxAbs) kvar = o.kvarMaxAbs * Math.sign(o.kvarRequested);
    } else kvar = limitedKvar(o);
  } else if (Math.abs(kw) < (o.pctPminNoVars > 0 ? (o.pctPminNoVars * o.kwRated) / 100 : -1)) kvar = 0;
  else if (o.varMode === 'pf') {
    kvar = o.pf === 1 ? 0 : kvarAtPf(kw, o.pf);
    if (Math.abs(kvar) > o.kvarMax || Math.abs(kvar) > o.kvarMaxAbs) {
      kvar = (kvar > 0 ? o.kvarMax : o.kvarMaxAbs) * Math.sign(kw) * Math.sign(o.pf);
      if (o.pfPriority) kw = kvar * Math.sqrt(1 / (1 - o.pf * o.pf) - 1) * Math.sign(o.pf);
    }
  } else {
    const q = o.kvarRequested;
    kvar = limitedKvar(o);
    if (kvar !== q && o.pfPriority && q !== 0 && kw !== 0) {
      const tempPf = Math.cos(Math.atan(Math.abs(q / kw)));
      kw = Math.abs(kvar) * Math.sqrt(1 / (1 - tempPf * tempPf) - 1) * Math.sign(kw);
    }
  }
  if (!o.inverterOn && o.varFollowInverter) kvar = 0;
  if (Math.hypot(kw, kvar) > o.kva) {
    if (o.state === 'idling') kvar = Math.sqrt(o.kva * o.kva - kw * kw) * Math.sign(kvar);
    else if (o.varMode === 'pf' && o.pfPriority) {
      kw = o.kva * Math.abs(o.pf) * Math.sign(kw);
      kvar = o.kva * Math.sqrt(1 - o.pf * o.pf) * Math.sign(kw) * Math.sign(o.pf);
    } else if (o.varMode === 'kvar' && o.pfPriority) {
      kw = o.kva * Math.abs(Math.cos(Math.atan(o.kvarRequested / kw))) * Math.sign(kw);
      kvar = o.kva * Math.abs(Math.sin(Math.acos(kw / o.kva))) * Math.sign(o.kvarRequested);
    } else if (o.wattPriority) {
      if (kw > o.kva) [kw, kvar] = [o.kva, 0];
      else kvar = Math.sqrt(o.kva * o.kva - kw * kw) * Math.sign(kvar);
    } else kw = Math.sqrt(o.kva * o.kva - kvar * kvar) * Math.sign(kw);
  }
  return { kw, kvar };
}

function limitedKvar(o: StorageObj): number {
  const q = o.kvarRequested;
  if (q > 0 && q > o.kvarMax) return o.kvarMax;
  if (q < 0 && -q > o.kvarMaxAbs) return -o.kvarMaxAbs;
  return q;
}

/**
 * OpenDSS's UpdateStorage at the end of a time step: the energy the unit's terminal power
 * (kW, generation positive) moved over the step, through the efficiencies, with idling losses;
 * at the reserve or at full charge it stops.
 */
export function updateStorage(o: StorageObj, terminalKw: number, stepHours: number): void {
  const idlingKw = (o.pctIdlingKw * o.kwRated) / 100;
  const dcKw =
    o.state === 'idling'
      ? -Math.abs(terminalKw)
      : Math.abs(terminalKw) * (o.state === 'discharging' ? 1 : -1);
  const effC = o.pctEffCharge / 100;
  const effD = o.pctEffDischarge / 100;
  if (o.state === 'discharging') {
    o.kwhStored -= ((dcKw + idlingKw) / effD) * stepHours;
    if (o.kwhStored < reserveKwh(o)) {
      o.kwhStored = reserveKwh(o);
      o.state = 'idling';
    }
  } else if (o.state === 'charging') {
    const net = Math.abs(dcKw) - idlingKw;
    if (net >= 0) {
      o.kwhStored += net * effC * stepHours;
      if (o.kwhStored > o.kwhRated) {
        o.kwhStored = o.kwhRated;
        o.state = 'idling';
      }
    } else {
      o.kwhStored += (net / effD) * stepHours;
      if (o.kwhStored < reserveKwh(o)) {
        o.kwhStored = reserveKwh(o);
        o.state = 'idling';
      }
    }
  }
}
