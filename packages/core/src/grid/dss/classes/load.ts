import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import {
  baseFreqProp,
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  type PropertyDef,
  refusedProps,
} from '../class-def.js';
import type { BusSpec } from '../values.js';
import { actualPowerOf } from './loadshape.js';

/** Which inputs define the load's power; the last one written wins, as in OpenDSS. */
export type LoadSpec = 'kwPf' | 'kwKvar' | 'kvaPf' | 'connectedKva';

export interface LoadObj extends DssObject {
  bus1: BusSpec | undefined;
  phases: number;
  kv: number;
  kw: number;
  kvar: number;
  kva: number;
  pf: number;
  pfChanged: boolean;
  /** pf was given (not kvar): a UseActual shape then keeps the power factor, as in OpenDSS */
  pfSpecified: boolean;
  model: 1 | 2 | 4 | 5;
  conn: 'wye' | 'delta';
  rNeutOhms: number;
  xNeutOhms: number;
  status: 'variable' | 'fixed' | 'exempt';
  vMinPu: number;
  vMaxPu: number;
  vLowPu: number;
  xfKva: number;
  allocationFactor: number;
  cvrWatts: number;
  cvrVars: number;
  spec: LoadSpec;
  /** per-phase base voltage in volts; OpenDSS starts from exactly 7200 until kV, phases or conn is set */
  vBase: number;
  yearly: string | undefined;
  daily: string | undefined;
  duty: string | undefined;
}

function recomputeVBase(o: LoadObj): void {
  if (o.conn === 'delta') o.vBase = o.kv * 1000;
  else if (o.phases === 2 || o.phases === 3) o.vBase = (o.kv * 1000) / Math.sqrt(3);
  else o.vBase = o.kv * 1000;
}

/** kvar per kW for a power factor; a negative pf means the opposite reactive sign. */
export function kvarPerKw(pf: number): number {
  const k = Math.sqrt(1 / (pf * pf) - 1);
  return pf < 0 ? -k : k;
}

function allocate(o: LoadObj): void {
  if (o.xfKva > 0) {
    o.kw = o.xfKva * o.allocationFactor * Math.abs(o.pf);
    o.kvar = o.kw * kvarPerKw(o.pf);
  }
}

/** OpenDSS derives the missing quantities once, at the end of each edit. */
function finishLoadEdit(o: LoadObj): void {
  switch (o.spec) {
    case 'kwPf':
      o.kvar = o.kw * kvarPerKw(o.pf);
      o.kva = Math.hypot(o.kw, o.kvar);
      break;
    case 'kwKvar':
      o.kva = Math.hypot(o.kw, o.kvar);
      if (o.kva > 0) {
        o.pf = o.kw / o.kva;
        if (o.kvar !== 0) o.pf *= Math.sign(o.kw * o.kvar);
      }
      break;
    case 'kvaPf':
      o.kw = o.kva * Math.abs(o.pf);
      o.kvar = o.kw * kvarPerKw(o.pf);
      break;
    case 'connectedKva':
      if (o.pfChanged) o.kvar = o.kw * kvarPerKw(o.pf);
      o.kva = Math.hypot(o.kw, o.kvar);
      break;
  }
  o.pfChanged = false;
}

const reshape = (set: (o: LoadObj, x: number) => void) => (o: LoadObj, x: number) => {
  set(o, x);
  recomputeVBase(o);
};

function setModel(o: LoadObj, m: number, ctx: EditContext): void {
  if (m !== 1 && m !== 2 && m !== 4 && m !== 5) {
    throw new UnsupportedFeatureError(`Load model=${m} is not supported (supported: 1, 2, 4, 5)`, {
      location: ctx.location,
    });
  }
  o.model = m;
}

/**
 * yearly=, daily=, duty=: the shape the load follows in time. A shape with UseActual=yes sets
 * the load's kW and kvar to the shape's peak (OpenDSS's SetkWkvar); daily also stands for
 * yearly until a yearly shape is named.
 */
function shapeProp(key: 'yearly' | 'daily' | 'duty'): PropertyDef<LoadObj> {
  return {
    name: key,
    set: (o, v, ctx) => {
      const { name, actual } = actualPowerOf(ctx, v.raw, key);
      o[key] = name;
      if (key === 'daily') o.yearly ??= name;
      if (!actual) return;
      o.kw = actual.pKw;
      o.kvar = actual.qKvar;
      o.spec = o.pfSpecified ? 'kwPf' : 'kwKvar';
    },
  };
}

export const loadClass: DssClassDef<LoadObj> = {
  name: 'Load',
  props: [
    { name: 'phases', set: (o, v) => reshape((l, x) => void (l.phases = x))(o, v.integer(1, 100)) },
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'kv', set: (o, v) => reshape((l, x) => void (l.kv = x))(o, v.positive()) },
    {
      name: 'kw',
      set: (o, v) => {
        o.kw = v.number();
        o.spec = 'kwPf';
      },
    },
    {
      name: 'pf',
      set: (o, v, ctx) => {
        const pf = v.number();
        if (pf === 0 || Math.abs(pf) > 1) {
          throw new InvalidValueError(`pf=${v.raw}: a power factor lies in [-1, 0) or (0, 1]`, {
            location: ctx.location,
          });
        }
        o.pf = pf;
        o.pfChanged = true;
        o.pfSpecified = true;
      },
    },
    { name: 'model', set: (o, v, ctx) => setModel(o, v.integer(), ctx) },
    shapeProp('yearly'),
    shapeProp('daily'),
    shapeProp('duty'),
    ...inertProps<LoadObj>(['growth']),
    {
      name: 'conn',
      set: (o, v) =>
        reshape((l, x) => void (l.conn = x ? 'delta' : 'wye'))(o, Number(v.connection() === 'delta')),
    },
    {
      name: 'kvar',
      set: (o, v) => {
        o.kvar = v.number();
        o.spec = 'kwKvar';
        o.pfSpecified = false;
      },
    },
    { name: 'rneut', set: (o, v) => void (o.rNeutOhms = v.number()) },
    { name: 'xneut', set: (o, v) => void (o.xNeutOhms = v.number()) },
    {
      name: 'status',
      set: (o, v) => {
        const s = v.raw.toLowerCase();
        o.status = s.startsWith('f') ? 'fixed' : s.startsWith('e') ? 'exempt' : 'variable';
      },
    },
    ...inertProps<LoadObj>(['class']),
    { name: 'vminpu', set: (o, v) => void (o.vMinPu = v.nonNegative()) },
    { name: 'vmaxpu', set: (o, v) => void (o.vMaxPu = v.nonNegative()) },
    ...inertProps<LoadObj>(['vminnorm', 'vminemerg']),
    {
      name: 'xfkva',
      set: (o, v) => {
        o.xfKva = v.nonNegative();
        o.spec = 'connectedKva';
        allocate(o);
      },
    },
    {
      name: 'allocationfactor',
      set: (o, v) => {
        o.allocationFactor = v.nonNegative();
        o.spec = 'connectedKva';
        allocate(o);
      },
    },
    {
      name: 'kva',
      set: (o, v) => {
        o.kva = v.nonNegative();
        o.spec = 'kvaPf';
      },
    },
    ...inertProps<LoadObj>(['%mean', '%stddev']),
    { name: 'cvrwatts', set: (o, v) => void (o.cvrWatts = v.number()) },
    { name: 'cvrvars', set: (o, v) => void (o.cvrVars = v.number()) },
    ...refusedProps<LoadObj>('Load', ['kwh', 'kwhdays', 'cfactor', 'cvrcurve']),
    ...inertProps<LoadObj>(['numcust']),
    ...refusedProps<LoadObj>('Load', ['zipv']),
    // %SeriesRL, puXharm and XRharm shape the harmonic model only
    ...inertProps<LoadObj>(['%seriesrl', 'relweight']),
    { name: 'vlowpu', set: (o, v) => void (o.vLowPu = v.nonNegative()) },
    ...inertProps<LoadObj>(['puxharm', 'xrharm', 'spectrum']),
    baseFreqProp<LoadObj>('Load'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): LoadObj => ({
    className: 'Load',
    name,
    location,
    enabled: true,
    bus1: undefined,
    phases: 3,
    kv: 12.47,
    kw: 10,
    kvar: 10 * kvarPerKw(0.88),
    kva: 10 / 0.88,
    pf: 0.88,
    pfChanged: false,
    pfSpecified: false,
    model: 1,
    conn: 'wye',
    rNeutOhms: -1,
    xNeutOhms: 0,
    status: 'variable',
    vMinPu: 0.95,
    vMaxPu: 1.05,
    vLowPu: 0.5,
    xfKva: 0,
    allocationFactor: 0.5,
    cvrWatts: 1,
    cvrVars: 2,
    spec: 'kwPf',
    vBase: 7200,
    yearly: undefined,
    daily: undefined,
    duty: undefined,
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, { ...src, bus1: undefined }, { name, location });
  },
  endEdit: (o) => finishLoadEdit(o),
};
