import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, type EditContext, inertProps } from '../class-def.js';
import { type LengthUnits, parseUnits } from './common.js';

/** A bare overhead conductor's data, as `Show LineConstants` uses it. */
export interface WireDataObj extends DssObject {
  /** ac resistance per `rUnits`; negative until given */
  rac: number;
  rdc: number;
  rUnits: LengthUnits;
  /** geometric mean radius in `gmrUnits`; negative until given */
  gmrAc: number;
  gmrUnits: LengthUnits;
  radius: number;
  radUnits: LengthUnits;
  /** radius for capacitance (in radUnits); negative: the outer radius */
  capRadius: number;
  normAmps: number;
  emergAmps: number;
}

const units = (v: { raw: string }, ctx: EditContext): LengthUnits => {
  const u = parseUnits(v.raw);
  if (!u) throw new InvalidValueError(`"${v.raw}" is not a length unit`, { location: ctx.location });
  return u;
};

export const wireDataClass: DssClassDef<WireDataObj> = {
  name: 'WireData',
  general: true,
  props: [
    {
      name: 'rdc',
      set: (o, v) => {
        o.rdc = v.nonNegative();
        if (o.rac < 0) o.rac = 1.02 * o.rdc;
      },
    },
    {
      name: 'rac',
      set: (o, v) => {
        o.rac = v.nonNegative();
        if (o.rdc < 0) o.rdc = o.rac / 1.02;
      },
    },
    { name: 'runits', set: (o, v, ctx) => void (o.rUnits = units(v, ctx)) },
    {
      name: 'gmrac',
      set: (o, v) => {
        o.gmrAc = v.positive();
        if (o.radius < 0) o.radius = o.gmrAc / 0.7788;
      },
    },
    {
      name: 'gmrunits',
      set: (o, v, ctx) => {
        o.gmrUnits = units(v, ctx);
        if (o.radUnits === 'none') o.radUnits = o.gmrUnits;
      },
    },
    {
      name: 'radius',
      set: (o, v) => {
        o.radius = v.positive();
        if (o.gmrAc < 0) o.gmrAc = 0.7788 * o.radius;
      },
    },
    {
      name: 'radunits',
      set: (o, v, ctx) => {
        o.radUnits = units(v, ctx);
        if (o.gmrUnits === 'none') o.gmrUnits = o.radUnits;
      },
    },
    { name: 'normamps', set: (o, v) => void (o.normAmps = v.nonNegative()) },
    { name: 'emergamps', set: (o, v) => void (o.emergAmps = v.nonNegative()) },
    {
      name: 'diam',
      set: (o, v) => {
        o.radius = v.positive() / 2;
        if (o.gmrAc < 0) o.gmrAc = 0.7788 * o.radius;
      },
    },
    ...inertProps<WireDataObj>(['seasons', 'ratings']),
    { name: 'capradius', set: (o, v) => void (o.capRadius = v.positive()) },
  ],
  create: (name: string, location: SourceLocation) => ({
    className: 'WireData',
    name,
    location,
    enabled: true,
    rac: -1,
    rdc: -1,
    rUnits: 'none',
    gmrAc: -1,
    gmrUnits: 'none',
    radius: -1,
    radUnits: 'none',
    capRadius: -1,
    normAmps: -1,
    emergAmps: -1,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};
