import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, type EditContext, inertProps } from '../class-def.js';
import type { CNDataObj } from './cndata.js';
import { type LengthUnits, parseUnits } from './common.js';
import type { LineSpacingObj } from './linespacing.js';
import type { TSDataObj } from './tsdata.js';
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
  /** bare wires (WireData) and shielded cables (CNData, TSData: told apart by className) */
  wires: (WireDataObj | CNDataObj | TSDataObj | undefined)[];
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
const cnCable = (ctx: EditContext, name: string) => ctx.lookup<CNDataObj>('CNData', name, 'cncable');
const tsCable = (ctx: EditContext, name: string) => ctx.lookup<TSDataObj>('TSData', name, 'tscable');
const isCable = (w: WireDataObj | undefined) => w?.className === 'CNData' || w?.className === 'TSData';

/** The first conductor's ratings become the geometry's, as OpenDSS defaults them. */
function firstRatings(o: LineGeometryObj): void {
  const first = o.wires[0];
  if (first && o.normAmps < 0) o.normAmps = first.normAmps;
  if (first && o.emergAmps < 0) o.emergAmps = first.emergAmps;
}

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
    // a negative height is a buried conductor (cables)
    { name: 'h', set: (o, v) => void (o.h[o.active] = v.number()) },
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
      set: (o, v, ctx) => {
        const s = ctx.lookup<LineSpacingObj>('LineSpacing', v.raw, 'spacing');
        if (s.nconds !== o.nconds)
          throw new InvalidValueError(
            `LineGeometry.${o.name}: LineSpacing.${s.name} has ${s.nconds} wires, the geometry ${o.nconds}`,
            { location: ctx.location },
          );
        for (let i = 0; i < o.nconds; i++) {
          o.x[i] = s.x[i];
          o.h[i] = s.h[i];
          o.units[i] = s.units;
        }
        o.lastUnits = s.units;
      },
    },
    {
      name: 'wires',
      set: (o, v, ctx) => {
        // with cables on the phases, wires= names the bare (buried) neutrals after them
        const start = o.wires.slice(0, o.nphases).some(isCable) ? o.nphases : 0;
        v.stringArray().forEach((name, i) => {
          if (start + i < o.nconds) o.wires[start + i] = wire(ctx, name);
        });
        firstRatings(o);
      },
    },
    {
      name: 'cncable',
      set: (o, v, ctx) => {
        o.wires[o.active] = cnCable(ctx, v.raw);
        if (o.active === 0) firstRatings(o);
      },
    },
    {
      name: 'tscable',
      set: (o, v, ctx) => {
        o.wires[o.active] = tsCable(ctx, v.raw);
        if (o.active === 0) firstRatings(o);
      },
    },
    {
      name: 'cncables',
      set: (o, v, ctx) => {
        v.stringArray().forEach((name, i) => {
          if (i < o.nconds) o.wires[i] = cnCable(ctx, name);
        });
        firstRatings(o);
      },
    },
    {
      name: 'tscables',
      set: (o, v, ctx) => {
        v.stringArray().forEach((name, i) => {
          if (i < o.nconds) o.wires[i] = tsCable(ctx, name);
        });
        firstRatings(o);
      },
    },
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

type Conductor = WireDataObj | CNDataObj | TSDataObj;

/**
 * The geometry a Line given spacing= and wires= (or cncables=/tscables=) builds for itself, as
 * OpenDSS's LoadSpacingAndWires: the spacing's positions and phases, the conductors in order
 * (bare wires after cable phases are the buried neutrals), reduced when it has neutrals.
 */
export function geometryFromSpacing(
  name: string,
  location: SourceLocation,
  spacing: LineSpacingObj,
  conductors: (Conductor | undefined)[],
): LineGeometryObj {
  const o = lineGeometryClass.create(name, location);
  resize(o, spacing.nconds);
  o.nphases = spacing.nphases;
  for (let i = 0; i < spacing.nconds; i++) {
    o.x[i] = spacing.x[i];
    o.h[i] = spacing.h[i];
    o.units[i] = spacing.units;
    o.wires[i] = conductors[i];
  }
  o.reduce = o.nconds > o.nphases;
  firstRatings(o);
  return o;
}

/** Where a Line's wires= list starts: after cable phases, the bare wires are neutrals. */
export function wiresStart(conductors: (Conductor | undefined)[], phases: number): number {
  return conductors.slice(0, phases).some(isCable) ? phases : 0;
}
