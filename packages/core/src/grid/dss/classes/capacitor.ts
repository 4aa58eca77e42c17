import { type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { baseFreqProp, type DssClassDef, type DssObject, inertProps } from '../class-def.js';
import type { BusSpec } from '../values.js';

export interface CapacitorObj extends DssObject {
  bus1: BusSpec | undefined;
  bus2: BusSpec | undefined;
  phases: number;
  /** kvar per step, total over phases */
  kvar: number[];
  kv: number;
  conn: 'wye' | 'delta';
  /** µF per phase per step when given directly */
  cuf: number[] | undefined;
  rOhms: number[];
  xlOhms: number[];
  numSteps: number;
  states: number[];
  spec: 'kvar' | 'cuf';
}

function setSteps(o: CapacitorObj, n: number): void {
  if (n === o.numSteps) return;
  if (o.numSteps === 1) {
    const total = o.kvar[0];
    o.kvar = Array.from({ length: n }, () => total / n);
    o.rOhms = Array.from({ length: n }, () => n * o.rOhms[0]);
    o.xlOhms = Array.from({ length: n }, () => n * o.xlOhms[0]);
    if (o.cuf) o.cuf = Array.from({ length: n }, () => o.cuf![0]);
  } else {
    const fit = (a: number[]) => Array.from({ length: n }, (_, i) => a[i] ?? 0);
    o.kvar = fit(o.kvar);
    o.rOhms = fit(o.rOhms);
    o.xlOhms = fit(o.xlOhms);
    if (o.cuf) o.cuf = fit(o.cuf);
  }
  o.states = Array.from({ length: n }, () => 1);
  o.numSteps = n;
}

const fill = (dst: number[], src: number[]): number[] => dst.map((v, i) => src[i] ?? v);

export const capacitorClass: DssClassDef<CapacitorObj> = {
  name: 'Capacitor',
  props: [
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'bus2', set: (o, v) => void (o.bus2 = v.bus()) },
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    {
      name: 'kvar',
      set: (o, v) => {
        const vals = v.numberArray();
        o.kvar = o.numSteps === 1 && vals.length === 1 ? vals : fill(o.kvar, vals);
        o.spec = 'kvar';
      },
    },
    { name: 'kv', set: (o, v) => void (o.kv = v.positive()) },
    { name: 'conn', set: (o, v) => void (o.conn = v.connection()) },
    {
      name: 'cmatrix',
      set: (_o, _v, ctx) => {
        throw new UnsupportedFeatureError('Capacitor cmatrix is not supported; give kvar or cuf', {
          location: ctx.location,
        });
      },
    },
    {
      name: 'cuf',
      set: (o, v) => {
        o.cuf = fill(
          Array.from({ length: o.numSteps }, () => 0),
          v.numberArray(),
        );
        o.spec = 'cuf';
      },
    },
    { name: 'r', set: (o, v) => void (o.rOhms = fill(o.rOhms, v.numberArray())) },
    { name: 'xl', set: (o, v) => void (o.xlOhms = fill(o.xlOhms, v.numberArray())) },
    ...inertProps<CapacitorObj>(['harm']),
    { name: 'numsteps', set: (o, v) => setSteps(o, v.integer(1, 1000)) },
    {
      name: 'states',
      set: (o, v) => {
        o.states = fill(o.states, v.numberArray()).map((s) => (s !== 0 ? 1 : 0));
      },
    },
    ...inertProps<CapacitorObj>(['normamps', 'emergamps', 'faultrate', 'pctperm', 'repair']),
    baseFreqProp<CapacitorObj>('Capacitor'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): CapacitorObj => ({
    className: 'Capacitor',
    name,
    location,
    enabled: true,
    bus1: undefined,
    bus2: undefined,
    phases: 3,
    kvar: [1200],
    kv: 12.47,
    conn: 'wye',
    cuf: undefined,
    rOhms: [0],
    xlOhms: [0],
    numSteps: 1,
    states: [1],
    spec: 'kvar',
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, structuredClone({ ...src, location: {} }), { name, location });
  },
};
