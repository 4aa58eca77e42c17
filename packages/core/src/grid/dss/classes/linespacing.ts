import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import type { DssClassDef, DssObject } from '../class-def.js';
import { type LengthUnits, parseUnits } from './common.js';

/** Conductor positions shared by lines and geometries: x and h of each wire, in one unit. */
export interface LineSpacingObj extends DssObject {
  nconds: number;
  nphases: number;
  x: number[];
  h: number[];
  units: LengthUnits;
}

const fit = (a: number[], n: number) => Array.from({ length: n }, (_, i) => a[i] ?? 0);

export const lineSpacingClass: DssClassDef<LineSpacingObj> = {
  name: 'LineSpacing',
  general: true,
  props: [
    {
      name: 'nconds',
      set: (o, v) => {
        o.nconds = v.integer(1, 100);
        o.x = fit(o.x, o.nconds);
        o.h = fit(o.h, o.nconds);
        if (o.nphases > o.nconds) o.nphases = o.nconds;
      },
    },
    { name: 'nphases', set: (o, v) => void (o.nphases = v.integer(1, o.nconds)) },
    { name: 'x', set: (o, v) => void (o.x = fit(v.numberArray(), o.nconds)) },
    { name: 'h', set: (o, v) => void (o.h = fit(v.numberArray(), o.nconds)) },
    {
      name: 'units',
      set: (o, v, ctx) => {
        const u = parseUnits(v.raw);
        if (!u)
          throw new InvalidValueError(`units="${v.raw}" is not a length unit`, { location: ctx.location });
        o.units = u;
      },
    },
  ],
  create: (name: string, location: SourceLocation): LineSpacingObj => ({
    className: 'LineSpacing',
    name,
    location,
    enabled: true,
    nconds: 3,
    nphases: 3,
    x: [0, 0, 0],
    h: [0, 0, 0],
    units: 'ft',
  }),
  like: (dst, src) =>
    Object.assign(dst, { ...src, x: [...src.x], h: [...src.h], name: dst.name, location: dst.location }),
};
