import { type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { baseFreqProp, type DssClassDef, type DssObject, inertProps } from '../class-def.js';
import type { BusSpec } from '../values.js';

export interface ReactorObj extends DssObject {
  bus1: BusSpec | undefined;
  bus2: BusSpec | undefined;
  phases: number;
  kvar: number;
  kv: number;
  conn: 'wye' | 'delta';
  rOhms: number;
  xOhms: number;
  /** parallel resistance, ohms; undefined when not given */
  rpOhms: number | undefined;
  spec: 'kvar' | 'impedance';
}

const unsupported = (name: string) => ({
  name,
  set: (_o: ReactorObj, _v: unknown, ctx: { location: SourceLocation }) => {
    throw new UnsupportedFeatureError(`Reactor property ${name} is not supported; give r and x or kvar`, {
      location: ctx.location,
    });
  },
});

export const reactorClass: DssClassDef<ReactorObj> = {
  name: 'Reactor',
  props: [
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'bus2', set: (o, v) => void (o.bus2 = v.bus()) },
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    {
      name: 'kvar',
      set: (o, v) => {
        o.kvar = v.positive();
        o.spec = 'kvar';
      },
    },
    { name: 'kv', set: (o, v) => void (o.kv = v.positive()) },
    { name: 'conn', set: (o, v) => void (o.conn = v.connection()) },
    unsupported('rmatrix'),
    unsupported('xmatrix'),
    { name: 'parallel', set: (_o, v, ctx) => void (v.boolean() && unsupported('parallel').set(_o, v, ctx)) },
    { name: 'r', set: (o, v) => void (o.rOhms = v.nonNegative()) },
    {
      name: 'x',
      set: (o, v) => {
        o.xOhms = v.number();
        o.spec = 'impedance';
      },
    },
    {
      name: 'rp',
      set: (o, v) => {
        o.rpOhms = v.nonNegative();
      },
    },
    unsupported('z1'),
    unsupported('z2'),
    unsupported('z0'),
    {
      name: 'z',
      set: (o, v) => {
        const [r, x] = v.numberArray();
        o.rOhms = r ?? 0;
        o.xOhms = x ?? 0;
        o.spec = 'impedance';
      },
    },
    unsupported('rcurve'),
    unsupported('lcurve'),
    {
      name: 'lmh',
      set: (o, v) => {
        o.xOhms = (v.nonNegative() / 1000) * 2 * Math.PI * 60;
        o.spec = 'impedance';
      },
    },
    ...inertProps<ReactorObj>(['normamps', 'emergamps', 'faultrate', 'pctperm', 'repair']),
    baseFreqProp<ReactorObj>('Reactor'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): ReactorObj => ({
    className: 'Reactor',
    name,
    location,
    enabled: true,
    bus1: undefined,
    bus2: undefined,
    phases: 3,
    kvar: 100,
    kv: 12.47,
    conn: 'wye',
    rOhms: 0,
    xOhms: (12.47 * 12.47 * 1000) / 100,
    rpOhms: undefined,
    spec: 'kvar',
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, { ...src, bus1: undefined, bus2: undefined }, { name, location });
  },
};
