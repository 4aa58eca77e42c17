import type { SourceLocation } from '../../../errors/index.js';
import { XyCurve } from '../../model/index.js';
import { type DssClassDef, type DssObject, inertProps, refusedProps } from '../class-def.js';
import type { ValueReader } from '../values.js';

/** An XYCurve (a general class): npts points given as x,y pairs or as separate x and y arrays. */
export interface XYCurveObj extends DssObject {
  npts: number;
  x: number[];
  y: number[];
  /** the lookup the controls share, made on first use after each edit */
  curve?: XyCurve;
}

/** OpenDSS reads at most npts values of an array (so npts comes first) and then takes npts from what it read. */
function readArray(v: ValueReader, max: number): number[] {
  return v.numberArray().slice(0, max);
}

function resize(a: number[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => a[i] ?? 0);
}

export const xyCurveClass: DssClassDef<XYCurveObj> = {
  name: 'XYcurve',
  general: true,
  props: [
    {
      name: 'npts',
      set: (o, v) => {
        o.npts = v.integer(0, 1_000_000);
        o.x = resize(o.x, o.npts);
        o.y = resize(o.y, o.npts);
      },
    },
    {
      name: 'points',
      set: (o, v) => {
        const pairs = readArray(v, o.npts * 2);
        o.npts = Math.floor(pairs.length / 2);
        o.x = Array.from({ length: o.npts }, (_, i) => pairs[2 * i]);
        o.y = Array.from({ length: o.npts }, (_, i) => pairs[2 * i + 1]);
      },
    },
    {
      name: 'yarray',
      set: (o, v) => {
        o.y = readArray(v, o.npts);
        o.npts = o.y.length;
        o.x = resize(o.x, o.npts);
      },
    },
    {
      name: 'xarray',
      set: (o, v) => {
        o.x = readArray(v, o.npts);
        o.npts = o.x.length;
        o.y = resize(o.y, o.npts);
      },
    },
    // curves from files are not read yet: refused rather than left empty
    ...refusedProps<XYCurveObj>('XYcurve', ['csvfile', 'sngfile', 'dblfile'], ['']),
    // x and y query (or set one from the other) on the curve; shifts and scales apply to them
    // only, never to the points a control looks up
    ...inertProps<XYCurveObj>(['x', 'y', 'xshift', 'yshift', 'xscale', 'yscale']),
  ],
  create: (name: string, location: SourceLocation): XYCurveObj => ({
    className: 'XYcurve',
    name,
    location,
    enabled: true,
    npts: 0,
    x: [],
    y: [],
  }),
  like: (dst, src) => {
    dst.npts = src.npts;
    dst.x = [...src.x];
    dst.y = [...src.y];
  },
  endEdit: (o) => {
    o.curve = undefined;
  },
};

/** The curve's lookup; shared by every control that names it, as OpenDSS shares its search position. */
export function xyCurveOf(o: XYCurveObj): XyCurve {
  o.curve ??= new XyCurve(Float64Array.from(o.x), Float64Array.from(o.y));
  return o.curve;
}
