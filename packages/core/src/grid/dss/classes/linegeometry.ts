import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import {
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  refusedProps,
} from '../class-def.js';
import { type LengthUnits, parseUnits } from './common.js';
import type { WireDataObj } from './wiredata.js';

/** Conductor positions and wires of an overhead line; its impedances come from line constants. */
export interface LineGeometryObj extends DssObject {
  nconds: number;
  nphases: number;
  /** active conductor, 0-based */
  active: number;
  x: number[];
  h: number[];
  /** per conductor; undefined means metres */
  units: (LengthUnits | undefined)[];
  /** the units a newly selected conductor takes, as OpenDSS carries them over */
  lastUnits: LengthUnits;
  wires: (WireDataObj | undefined)[];
  /** Kron-reduce the conductors beyond nphases */
  reduce: boolean;
  normAmps: number;
  emergAmps: number;
}

function resize(o: LineGeometryObj, n: number): void {
  o.nconds = n;
  const fit = <T>(a: T[], d: T) => Array.from({ length: n }, (_, i) => (i < a.length ? a[i] : d));
  o.x = fit(o.x, 0);
  o.h = fit(o.h, 0);
  o.units = fit<LengthUnits | undefined>(o.units, undefined);
  o.wires = fit(o.wires, undefined);
  if (o.nphases > n) o.nphases = n;
  if (o.active >= n) o.active = 0;
}

const wire = (ctx: EditContext, name: string) => ctx.lookup<WireDataObj>('WireData', name, 'wire');

export const lineGeometryClass: DssClassDef<LineGeometryObj> = {
  name: 'LineGeometry',
  general: true,
  props: [
    { name: 'nconds', set: (o, v) => resize(o, v.integer(1, 100)) },
    { name: 'nphases', set: (o, v) => void (o.nphases = v.integer(1, o.nconds)) },
    {
      name: 'cond',
      set: (o, v) => {
        o.active = v.integer(1, o.nconds) - 1;
        o.units[o.active] ??= o.lastUnits;
      },
    },
    {
      name: 'wire',
      set: (o, v, ctx) => {
        const w = wire(ctx, v.raw);
        o.wires[o.active] = w;
        if (o.normAmps < 0) o.normAmps = w.normAmps;
        if (o.emergAmps < 0) o.emergAmps = w.emergAmps;
      },
    },
    { name: 'x', set: (o, v) => void (o.x[o.active] = v.number()) },
    { name: 'h', set: (o, v) => void (o.h[o.active] = v.positive()) },
    {
      name: 'units',
      set: (o, v, ctx) => {
        const u = parseUnits(v.raw);
        if (!u)
          throw new InvalidValueError(`units="${v.raw}" is not a length unit`, { location: ctx.location });
        o.units[o.active] = u;
        o.lastUnits = u;
      },
    },
    { name: 'normamps', set: (o, v) => void (o.normAmps = v.nonNegative()) },
    { name: 'emergamps', set: (o, v) => void (o.emergAmps = v.nonNegative()) },
    { name: 'reduce', set: (o, v) => void (o.reduce = v.boolean()) },
    {
      name: 'spacing',
      set: (_o, _v, ctx) => {
        throw new InvalidValueError('LineGeometry spacing= is not supported; give x and h per conductor', {
          location: ctx.location,
        });
      },
    },
    {
      name: 'wires',
      set: (o, v, ctx) => {
        v.stringArray().forEach((name, i) => {
          if (i < o.nconds) o.wires[i] = wire(ctx, name);
        });
        const first = o.wires[0];
        if (first && o.normAmps < 0) o.normAmps = first.normAmps;
        if (first && o.emergAmps < 0) o.emergAmps = first.emergAmps;
      },
    },
    ...refusedProps<LineGeometryObj>('LineGeometry', ['cncable', 'tscable', 'cncables', 'tscables']),
    ...inertProps<LineGeometryObj>(['seasons', 'ratings', 'linetype']),
  ],
  create: (name: string, location: SourceLocation) => {
    const o: LineGeometryObj = {
      className: 'LineGeometry',
      name,
      location,
      enabled: true,
      nconds: 0,
      nphases: 3,
      active: 0,
      x: [],
      h: [],
      units: [],
      lastUnits: 'ft',
      wires: [],
      reduce: false,
      normAmps: -1,
      emergAmps: -1,
    };
    resize(o, 3);
    return o;
  },
  like: (dst, src) =>
    Object.assign(dst, {
      ...src,
      x: [...src.x],
      h: [...src.h],
      units: [...src.units],
      wires: [...src.wires],
      name: dst.name,
      location: dst.location,
    }),
};
