import { type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, inertProps, type PropertyDef } from '../class-def.js';

/**
 * A load shape: multipliers over time. A snapshot does not evaluate shapes, but the
 * market and the day simulation read them, so the values are kept when given inline.
 */
export interface LoadShapeObj extends DssObject {
  npts: number;
  intervalHours: number;
  pMult: number[];
  qMult: number[] | undefined;
  useActual: boolean;
}

const fileArray = (raw: string): boolean => /^\s*(file|sngfile|dblfile)\s*=/i.test(raw);

/** Mult and its later synonym Pmult: the active-power multipliers. */
function multProp(name: string): PropertyDef<LoadShapeObj> {
  return {
    name,
    set: (o, v, ctx) => {
      if (fileArray(v.raw))
        throw new UnsupportedFeatureError(
          'LoadShape multipliers from a file are not supported yet; give them inline',
          {
            location: ctx.location,
          },
        );
      o.pMult = v.numberArray();
    },
  };
}

export const loadShapeClass: DssClassDef<LoadShapeObj> = {
  name: 'LoadShape',
  general: true,
  props: [
    { name: 'npts', set: (o, v) => void (o.npts = v.integer(0)) },
    { name: 'interval', set: (o, v) => void (o.intervalHours = v.nonNegative()) },
    multProp('mult'),
    ...inertProps<LoadShapeObj>(['hour', 'mean', 'stddev', 'csvfile', 'sngfile', 'dblfile', 'action']),
    { name: 'qmult', set: (o, v) => void (o.qMult = v.numberArray()) },
    { name: 'useactual', set: (o, v) => void (o.useActual = v.boolean()) },
    ...inertProps<LoadShapeObj>(['pmax', 'qmax', 'sinterval', 'minterval', 'pbase', 'qbase']),
    multProp('pmult'),
    ...inertProps<LoadShapeObj>(['pqcsvfile', 'memorymapping', 'interpolation']),
  ],
  create: (name: string, location: SourceLocation) => ({
    className: 'LoadShape',
    name,
    location,
    enabled: true,
    npts: 0,
    intervalHours: 1,
    pMult: [],
    qMult: undefined,
    useActual: false,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};
