import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import type { DssClassDef, PropertyDef } from '../class-def.js';
import { type WireDataObj, wireDataClass } from './wiredata.js';

/**
 * A concentric-neutral cable: its core is conductor data (as WireData), its insulation and
 * outer diameter cable data, and k neutral strands lie on a circle around the core. Diameters
 * and the insulation layer are in radunits, the strand GMR in gmrunits, its resistance per runits.
 */
export interface CNDataObj extends WireDataObj {
  k: number;
  diaStrand: number;
  gmrStrand: number;
  rStrand: number;
  epsR: number;
  insLayer: number;
  diaIns: number;
  diaCable: number;
}

type CnKey = 'diaStrand' | 'rStrand' | 'insLayer' | 'diaIns' | 'diaCable';
const positive = (name: string, key: CnKey): PropertyDef<CNDataObj> => ({
  name,
  set: (o, v) => void (o[key] = v.positive()),
});

export const cnDataClass: DssClassDef<CNDataObj> = {
  name: 'CNData',
  general: true,
  props: [
    { name: 'k', set: (o, v) => void (o.k = v.integer(2, 1000)) },
    {
      name: 'diastrand',
      set: (o, v) => {
        o.diaStrand = v.positive();
        if (o.gmrStrand <= 0) o.gmrStrand = 0.7788 * 0.5 * o.diaStrand;
      },
    },
    { name: 'gmrstrand', set: (o, v) => void (o.gmrStrand = v.positive()) },
    positive('rstrand', 'rStrand'),
    {
      name: 'epsr',
      set: (o, v, ctx) => {
        const e = v.number();
        if (!(e >= 1))
          throw new InvalidValueError(
            `CNData.${o.name} epsr=${v.raw}: a relative permittivity is at least 1`,
            {
              location: ctx.location,
            },
          );
        o.epsR = e;
      },
    },
    positive('inslayer', 'insLayer'),
    positive('diains', 'diaIns'),
    positive('diacable', 'diaCable'),
    // the core: the same properties, in the same order, as WireData
    ...(wireDataClass.props as unknown as PropertyDef<CNDataObj>[]),
  ],
  create: (name: string, location: SourceLocation): CNDataObj => ({
    ...wireDataClass.create(name, location),
    className: 'CNData',
    k: 2,
    diaStrand: -1,
    gmrStrand: -1,
    rStrand: -1,
    epsR: 2.3,
    insLayer: -1,
    diaIns: -1,
    diaCable: -1,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};
