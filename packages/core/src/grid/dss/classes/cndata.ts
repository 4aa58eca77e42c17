import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import type { DssClassDef, PropertyDef } from '../class-def.js';
import { type WireDataObj, wireDataClass } from './wiredata.js';

/**
 * A concentric-neutral cable: its core is conductor data (as WireData), its insulation and
 * outer diameter cable data, and k neutral strands lie on a circle around the core. Diameters
 * and the insulation layer are in radunits, the strand GMR in gmrunits, its resistance per runits.
 */
export interface CNDataObj extends CableDataObj {
  k: number;
  diaStrand: number;
  gmrStrand: number;
  rStrand: number;
}

/** What every shielded cable carries beyond its core: insulation and outer diameter (radunits). */
export interface CableDataObj extends WireDataObj {
  epsR: number;
  insLayer: number;
  diaIns: number;
  diaCable: number;
}

const positive = <T>(name: string, key: keyof T): PropertyDef<T> => ({
  name,
  set: (o, v) => void ((o as Record<keyof T, number>)[key] = v.positive()),
});

/** OpenDSS's CableData properties (after the screen's own, before the core's), in its order. */
export function cableDataProps<T extends CableDataObj>(className: string): PropertyDef<T>[] {
  return [
    {
      name: 'epsr',
      set: (o, v, ctx) => {
        const e = v.number();
        if (!(e >= 1))
          throw new InvalidValueError(
            `${className}.${o.name} epsr=${v.raw}: a relative permittivity is at least 1`,
            {
              location: ctx.location,
            },
          );
        o.epsR = e;
      },
    },
    positive<T>('inslayer', 'insLayer'),
    positive<T>('diains', 'diaIns'),
    positive<T>('diacable', 'diaCable'),
    // the core: the same properties, in the same order, as WireData
    ...(wireDataClass.props as unknown as PropertyDef<T>[]),
  ];
}

export const cableDataDefaults = { epsR: 2.3, insLayer: -1, diaIns: -1, diaCable: -1 };

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
    ...cableDataDefaults,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};
