import type { SourceLocation } from '../../../errors/index.js';
import { InvalidValueError } from '../../../errors/index.js';
import {
  baseFreqProp,
  type DssClassDef,
  type DssObject,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import { type LengthUnits, parseUnits } from './common.js';

/** Sequence impedances per unit length (ohms, nF). */
export interface SequenceData {
  r1: number;
  x1: number;
  r0: number;
  x0: number;
  c1: number;
  c0: number;
}

/**
 * Per-length series impedance and shunt capacitance, as a LineCode or a Line holds them:
 * row-major n×n matrices of ohms and nF per `units`.
 */
export interface ImpedanceData {
  nphases: number;
  units: LengthUnits;
  seq: SequenceData;
  /** true while the matrices are to be derived from the sequence values */
  symmetrical: boolean;
  /** set by an edit of r1..c0 so that the matrices are recomputed at the end of the edit */
  seqChanged: boolean;
  r: Float64Array;
  x: Float64Array;
  /** nF per unit length */
  c: Float64Array;
  baseFreq: number;
  /** capacitance was given explicitly (c1, c0, b1, b0 or cmatrix) rather than left at its default */
  capSpecified: boolean;
  normAmps: number;
  emergAmps: number;
}

/** OpenDSS's defaults: ohms and nF per 1000 ft for a typical overhead line, units 'none'. */
export function defaultImpedance(nphases = 3): ImpedanceData {
  const d: ImpedanceData = {
    nphases,
    units: 'none',
    seq: { r1: 0.058, x1: 0.1206, r0: 0.1784, x0: 0.4047, c1: 3.4, c0: 1.6 },
    symmetrical: true,
    seqChanged: false,
    r: new Float64Array(nphases * nphases),
    x: new Float64Array(nphases * nphases),
    c: new Float64Array(nphases * nphases),
    baseFreq: 60,
    capSpecified: false,
    normAmps: 400,
    emergAmps: 600,
  };
  matricesFromSequence(d);
  return d;
}

/** Phase matrices of a transposed line from its sequence values: Zs = (2Z1+Z0)/3, Zm = (Z0−Z1)/3. */
export function matricesFromSequence(d: ImpedanceData): void {
  const n = d.nphases;
  const { r1, x1, r0, x0, c1, c0 } = d.seq;
  d.r = new Float64Array(n * n);
  d.x = new Float64Array(n * n);
  d.c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (i === j) {
        d.r[k] = (2 * r1 + r0) / 3;
        d.x[k] = (2 * x1 + x0) / 3;
        d.c[k] = (2 * c1 + c0) / 3;
      } else {
        d.r[k] = (r0 - r1) / 3;
        d.x[k] = (x0 - x1) / 3;
        d.c[k] = (c0 - c1) / 3;
      }
    }
}

/** Copies only the impedance data, never the identity of the object it came from. */
export function cloneImpedance(d: ImpedanceData): ImpedanceData {
  return {
    nphases: d.nphases,
    units: d.units,
    seq: { ...d.seq },
    symmetrical: d.symmetrical,
    seqChanged: d.seqChanged,
    r: d.r.slice(),
    x: d.x.slice(),
    c: d.c.slice(),
    baseFreq: d.baseFreq,
    capSpecified: d.capSpecified,
    normAmps: d.normAmps,
    emergAmps: d.emergAmps,
  };
}

/** Changing the phase count reallocates the matrices from the sequence values. */
export function setPhases(d: ImpedanceData, n: number): void {
  if (n === d.nphases) return;
  d.nphases = n;
  matricesFromSequence(d);
}

export function finishImpedanceEdit(d: ImpedanceData): void {
  if (d.seqChanged) {
    matricesFromSequence(d);
    d.seqChanged = false;
  }
}

export interface LineCodeObj extends DssObject, ImpedanceData {
  /** conductor kron=y eliminates (1-based); negative: the last one; 0: none */
  neutral: number;
}

type ImpObj = DssObject & ImpedanceData;

/** Properties LineCode and Line share for their impedance data. */
export function impedanceProps<T extends ImpObj>(): PropertyDef<T>[] {
  const seq = (key: keyof SequenceData, name: string): PropertyDef<T> => ({
    name,
    set: (o, v) => {
      o.seq[key] = v.number();
      if (key === 'c1' || key === 'c0') o.capSpecified = true;
      o.symmetrical = true;
      o.seqChanged = true;
    },
  });
  const mat = (key: 'r' | 'x' | 'c', name: string): PropertyDef<T> => ({
    name,
    set: (o, v) => {
      o[key] = v.symmetricMatrix(o.nphases);
      if (key === 'c') o.capSpecified = true;
      o.symmetrical = false;
    },
  });
  return [
    seq('r1', 'r1'),
    seq('x1', 'x1'),
    seq('r0', 'r0'),
    seq('x0', 'x0'),
    seq('c1', 'c1'),
    seq('c0', 'c0'),
    mat('r', 'rmatrix'),
    mat('x', 'xmatrix'),
    mat('c', 'cmatrix'),
    {
      name: 'b1',
      set: (o, v) => {
        o.seq.c1 = (v.number() / (2 * Math.PI * o.baseFreq)) * 1000;
        o.capSpecified = true;
        o.symmetrical = true;
        o.seqChanged = true;
      },
    },
    {
      name: 'b0',
      set: (o, v) => {
        o.seq.c0 = (v.number() / (2 * Math.PI * o.baseFreq)) * 1000;
        o.capSpecified = true;
        o.symmetrical = true;
        o.seqChanged = true;
      },
    },
    baseFreqProp<T>('Line', (o, hz) => void (o.baseFreq = hz)),
    { name: 'normamps', set: (o, v) => void (o.normAmps = v.nonNegative()) },
    { name: 'emergamps', set: (o, v) => void (o.emergAmps = v.nonNegative()) },
  ];
}

export function unitsProp<T extends ImpObj>(): PropertyDef<T> {
  return {
    name: 'units',
    set: (o, v, ctx) => {
      const u = parseUnits(v.raw);
      if (!u)
        throw new InvalidValueError(`units="${v.raw}" is not a length unit`, { location: ctx.location });
      o.units = u;
    },
  };
}

/**
 * Kron reduction (kron=y) eliminates the conductor `neutral` names, which is taken to be
 * grounded (Vn = 0): Z becomes the Schur complement Zaa − Zan·Znn⁻¹·Zna, and since Vn = 0 the
 * capacitance keeps the other conductors' rows and columns. Ignored for sequence data, and the
 * neutral resets to none afterwards, as in OpenDSS.
 */
export function kronReduce(o: LineCodeObj, location: SourceLocation): void {
  if (o.symmetrical) return;
  const n = o.nphases;
  const k = (o.neutral < 0 ? n : o.neutral) - 1;
  if (k < 0 || n < 2) return;
  if (k >= n)
    throw new InvalidValueError(`LineCode.${o.name}: neutral=${k + 1} exceeds its ${n} conductors`, {
      location,
    });
  const [kr, ki] = [o.r[k * n + k], o.x[k * n + k]];
  const d = kr * kr + ki * ki;
  if (d === 0)
    throw new InvalidValueError(`LineCode.${o.name}: the neutral's self impedance is zero`, { location });
  const m = n - 1;
  const r = new Float64Array(m * m);
  const x = new Float64Array(m * m);
  const c = new Float64Array(m * m);
  const keep = [...Array(n).keys()].filter((i) => i !== k);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      const [i, j] = [keep[a], keep[b]];
      // Zik · Zkj / Zkk, complex
      const pr = o.r[i * n + k] * o.r[k * n + j] - o.x[i * n + k] * o.x[k * n + j];
      const pi = o.r[i * n + k] * o.x[k * n + j] + o.x[i * n + k] * o.r[k * n + j];
      r[a * m + b] = o.r[i * n + j] - (pr * kr + pi * ki) / d;
      x[a * m + b] = o.x[i * n + j] - (pi * kr - pr * ki) / d;
      c[a * m + b] = o.c[i * n + j];
    }
  Object.assign(o, { nphases: m, r, x, c, neutral: 0 });
}

const kronProps: PropertyDef<LineCodeObj>[] = [
  {
    name: 'kron',
    set: (o, v, ctx) => {
      if (v.boolean()) kronReduce(o, ctx.location);
    },
  },
];

const neutralProp: PropertyDef<LineCodeObj> = {
  name: 'neutral',
  set: (o, v) => void (o.neutral = v.integer(0, o.nphases)),
};

export const lineCodeClass: DssClassDef<LineCodeObj> = {
  name: 'LineCode',
  general: true,
  props: [
    {
      name: 'nphases',
      set: (o, v) => setPhases(o, v.integer(1, 100)),
    },
    ...impedanceProps<LineCodeObj>().slice(0, 6),
    unitsProp<LineCodeObj>(),
    ...impedanceProps<LineCodeObj>().slice(6, 9),
    ...impedanceProps<LineCodeObj>().slice(11),
    ...inertProps<LineCodeObj>(['faultrate', 'pctperm', 'repair']),
    ...kronProps,
    // rg/xg/rho only rescale the earth return away from the base frequency
    ...inertProps<LineCodeObj>(['rg', 'xg', 'rho']),
    neutralProp,
    ...impedanceProps<LineCodeObj>().slice(9, 11),
    ...inertProps<LineCodeObj>(['seasons', 'ratings', 'linetype']),
  ],
  create: (name: string, location: SourceLocation) => ({
    className: 'LineCode',
    name,
    location,
    enabled: true,
    ...defaultImpedance(),
    neutral: -1,
  }),
  like: (dst, src) => Object.assign(dst, cloneImpedance(src), { neutral: src.neutral }),
  endEdit: (o) => finishImpedanceEdit(o),
};
