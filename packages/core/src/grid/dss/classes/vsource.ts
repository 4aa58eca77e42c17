import { type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import {
  baseFreqProp,
  type DssClassDef,
  type DssObject,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import type { BusSpec } from '../values.js';

/** How the source impedance was last specified; the last kind written wins, as in OpenDSS. */
export type SourceZSpec = 'shortCircuit' | 'ohms' | 'perUnit';

export interface VsourceObj extends DssObject {
  bus1: BusSpec;
  bus2: BusSpec | undefined;
  baseKv: number;
  pu: number;
  angleDeg: number;
  frequency: number;
  phases: number;
  mvaSc3: number;
  mvaSc1: number;
  isc3: number;
  isc1: number;
  x1r1: number;
  x0r0: number;
  r1: number;
  x1: number;
  r0: number;
  x0: number;
  puZ1: [number, number];
  puZ0: [number, number];
  /** puZ0 was given; until then it follows puZ1 */
  puZ0Given: boolean;
  baseMva: number;
  zSpec: SourceZSpec;
  /** 'pos' or 'neg' phase sequence of the source voltages */
  sequence: 'pos' | 'neg' | 'zero';
}

export function defaultVsource(name: string, location: SourceLocation): VsourceObj {
  return {
    className: 'Vsource',
    name,
    location,
    enabled: true,
    bus1: { bus: 'sourcebus', nodes: [] },
    bus2: undefined,
    baseKv: 115,
    pu: 1,
    angleDeg: 0,
    frequency: 60,
    phases: 3,
    mvaSc3: 2000,
    mvaSc1: 2100,
    isc3: 10041,
    isc1: 10543,
    x1r1: 4,
    x0r0: 3,
    r1: 1.65,
    x1: 6.6,
    r0: 1.9,
    x0: 5.7,
    puZ1: [0, 0],
    puZ0: [0, 0],
    puZ0Given: false,
    baseMva: 100,
    zSpec: 'shortCircuit',
    sequence: 'pos',
  };
}

const sc = (set: (o: VsourceObj, x: number) => void): PropertyDef<VsourceObj>['set'] => {
  return (o, v) => {
    set(o, v.positive());
    o.zSpec = 'shortCircuit';
  };
};
const ohms = (key: 'r1' | 'x1' | 'r0' | 'x0'): PropertyDef<VsourceObj> => ({
  name: key,
  set: (o, v) => {
    o[key] = v.nonNegative();
    o.zSpec = 'ohms';
  },
});

const complexPair = (v: { numberArray(): number[] }): [number, number] => {
  const a = v.numberArray();
  return [a[0] ?? 0, a[1] ?? 0];
};

/**
 * Z2/puZ2: GridTier's source has equal positive- and negative-sequence impedance (OpenDSS's
 * default, Z2 = Z1); a different Z2 is refused rather than ignored.
 */
function sameAsPositive(name: string, z1: (o: VsourceObj) => [number, number]): PropertyDef<VsourceObj> {
  return {
    name,
    set: (o, v, ctx) => {
      const [r, x] = complexPair(v);
      const [r1, x1] = z1(o);
      if (Math.abs(r - r1) > 1e-9 * (1 + Math.abs(r1)) || Math.abs(x - x1) > 1e-9 * (1 + Math.abs(x1)))
        throw new UnsupportedFeatureError(
          `Vsource ${name}=${v.raw}: a negative-sequence impedance other than Z1 is not supported`,
          {
            location: ctx.location,
          },
        );
    },
  };
}

export const vsourceClass: DssClassDef<VsourceObj> = {
  name: 'Vsource',
  props: [
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'basekv', set: (o, v) => void (o.baseKv = v.positive()) },
    { name: 'pu', set: (o, v) => void (o.pu = v.nonNegative()) },
    { name: 'angle', set: (o, v) => void (o.angleDeg = v.number()) },
    { name: 'frequency', set: (o, v) => void (o.frequency = v.positive()) },
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    {
      name: 'mvasc3',
      set: sc((o, x) => {
        o.mvaSc3 = x;
        o.isc3 = (x * 1000) / (Math.sqrt(3) * o.baseKv);
      }),
    },
    {
      name: 'mvasc1',
      set: sc((o, x) => {
        o.mvaSc1 = x;
        o.isc1 = (x * 1000) / (o.baseKv / Math.sqrt(3));
      }),
    },
    { name: 'x1r1', set: (o, v) => void (o.x1r1 = v.positive()) },
    { name: 'x0r0', set: (o, v) => void (o.x0r0 = v.positive()) },
    {
      name: 'isc3',
      set: sc((o, x) => {
        o.isc3 = x;
        o.mvaSc3 = (Math.sqrt(3) * o.baseKv * x) / 1000;
      }),
    },
    {
      name: 'isc1',
      set: sc((o, x) => {
        o.isc1 = x;
        o.mvaSc1 = ((o.baseKv / Math.sqrt(3)) * x) / 1000;
      }),
    },
    ohms('r1'),
    ohms('x1'),
    ohms('r0'),
    ohms('x0'),
    ...inertProps<VsourceObj>(['scantype']),
    {
      name: 'sequence',
      set: (o, v) => {
        const s = v.raw.toLowerCase();
        o.sequence = s.startsWith('n') ? 'neg' : s.startsWith('z') ? 'zero' : 'pos';
      },
    },
    { name: 'bus2', set: (o, v) => void (o.bus2 = v.bus()) },
    {
      name: 'z1',
      set: (o, v) => {
        [o.r1, o.x1] = complexPair(v);
        o.zSpec = 'ohms';
      },
    },
    {
      name: 'z0',
      set: (o, v) => {
        [o.r0, o.x0] = complexPair(v);
        o.zSpec = 'ohms';
      },
    },
    sameAsPositive('z2', (o) => [o.r1, o.x1]),
    {
      name: 'puz1',
      set: (o, v) => {
        o.puZ1 = complexPair(v);
        // OpenDSS takes puZ0 (and puZ2) equal to puZ1 until they are given
        if (!o.puZ0Given) o.puZ0 = [...o.puZ1];
        o.zSpec = 'perUnit';
      },
    },
    {
      name: 'puz0',
      set: (o, v) => {
        o.puZ0 = complexPair(v);
        o.puZ0Given = true;
        o.zSpec = 'perUnit';
      },
    },
    sameAsPositive('puz2', (o) => o.puZ1),
    { name: 'basemva', set: (o, v) => void (o.baseMva = v.positive()) },
    ...inertProps<VsourceObj>(['yearly', 'daily', 'duty']),
    {
      name: 'model',
      set: (_o, v, ctx) => {
        if (!v.raw.toLowerCase().startsWith('t'))
          throw new UnsupportedFeatureError(`Vsource model=${v.raw}: only the Thevenin model is supported`, {
            location: ctx.location,
          });
      },
    },
    ...inertProps<VsourceObj>(['puzideal', 'spectrum']),
    baseFreqProp<VsourceObj>('Vsource'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: defaultVsource,
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, structuredClone(src), { name, location });
  },
};
