import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import {
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import type { BusSpec } from '../values.js';
import type { CNDataObj } from './cndata.js';
import { cloneBus, type LengthUnits, parseUnits } from './common.js';
import {
  cloneImpedance,
  defaultImpedance,
  finishImpedanceEdit,
  type ImpedanceData,
  impedanceProps,
  type LineCodeObj,
  setPhases,
} from './linecode.js';
import { geometryFromSpacing, type LineGeometryObj, wiresStart } from './linegeometry.js';
import type { LineSpacingObj } from './linespacing.js';
import type { TSDataObj } from './tsdata.js';
import type { WireDataObj } from './wiredata.js';

export interface LineObj extends DssObject, ImpedanceData {
  bus1: BusSpec | undefined;
  bus2: BusSpec | undefined;
  length: number;
  lengthUnits: LengthUnits;
  isSwitch: boolean;
  lineCode: string | undefined;
  geometry: string | undefined;
  /** terminals whose conductors were opened by the Open command: terminal index → conductor mask */
  openTerminals: Set<number>;
  /** earth resistivity for geometry lines, ohm-m; undefined = the geometry's (100) */
  rhoOhmM: number | undefined;
  /** earth-return model for geometry lines; undefined = the circuit's default */
  earthModel: 'deri' | 'carson' | 'fullcarson' | undefined;
  /** spacing= and the conductors wires=/cncables=/tscables= put on it */
  spacing: LineSpacingObj | undefined;
  spacingConductors: (WireDataObj | CNDataObj | TSDataObj | undefined)[];
  /** the geometry spacing and conductors make, once the spacing has all its conductors */
  ownGeometry: LineGeometryObj | undefined;
  /**
   * Sequence values were written on the line itself (r1…c0, b1/b0 or switch=yes), OpenDSS's
   * SymComponentsChanged. Its build then takes capacitance left at the default as nF per kft
   * and rescales it to the line's length units, as OpenDSS's CalcYPrim does.
   */
  seqOnLine: boolean;
}

/** A line on a spacing with its conductors: OpenDSS makes it a geometry of its own. */
function setSpacingConductors(
  o: LineObj,
  names: string[],
  ctx: EditContext,
  className: 'WireData' | 'CNData' | 'TSData',
  property: string,
): void {
  const s = o.spacing;
  if (!s)
    throw new InvalidValueError(`Line.${o.name} ${property}= needs spacing= first, as in OpenDSS`, {
      location: ctx.location,
    });
  const start = className === 'WireData' ? wiresStart(o.spacingConductors, s.nphases) : 0;
  names.forEach((name, i) => {
    if (start + i < s.nconds)
      o.spacingConductors[start + i] = ctx.lookup<WireDataObj>(className, name, property);
  });
  o.lineCode = undefined;
  o.geometry = undefined;
  o.ownGeometry = undefined;
  if (o.spacingConductors.slice(0, s.nconds).every((w) => w !== undefined)) {
    const g = geometryFromSpacing(`${o.name} (Line spacing=${s.name})`, o.location, s, o.spacingConductors);
    o.ownGeometry = g;
    o.nphases = g.nphases;
    o.normAmps = g.normAmps;
    o.emergAmps = g.emergAmps;
  }
}

function assignLineCode(o: LineObj, code: LineCodeObj): void {
  // whether C was given is the line's own record in OpenDSS, which a code does not change
  const { capSpecified } = o;
  Object.assign(o, cloneImpedance(code), { capSpecified });
  o.seqOnLine = false;
  o.lineCode = code.name;
  o.geometry = undefined;
  o.ownGeometry = undefined;
}

/** A line takes its per-length data from its geometry's line constants, computed at build time. */
function assignGeometry(o: LineObj, geom: LineGeometryObj): void {
  o.geometry = geom.name;
  o.seqOnLine = false;
  o.lineCode = undefined;
  o.ownGeometry = undefined;
  o.nphases = geom.nphases;
  o.normAmps = geom.normAmps;
  o.emergAmps = geom.emergAmps;
}

/** Impedances written on the line itself detach it from its linecode and reset its units, as in OpenDSS. */
function directImpedance(p: PropertyDef<LineObj>): PropertyDef<LineObj> {
  const isSequence = !p.name.endsWith('matrix');
  return {
    ...p,
    set: (o, v, ctx) => {
      p.set(o, v, ctx);
      if (isSequence) o.seqOnLine = true;
      o.lineCode = undefined;
      o.geometry = undefined;
      o.ownGeometry = undefined;
      o.units = 'none';
      o.lengthUnits = 'none';
    },
  };
}

export const lineClass: DssClassDef<LineObj> = {
  name: 'Line',
  props: [
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'bus2', set: (o, v) => void (o.bus2 = v.bus()) },
    {
      name: 'linecode',
      set: (o, v, ctx) => assignLineCode(o, ctx.lookup<LineCodeObj>('LineCode', v.raw, 'linecode')),
    },
    {
      name: 'length',
      set: (o, v) => {
        o.length = v.nonNegative();
      },
    },
    {
      name: 'phases',
      set: (o, v) => {
        const n = v.integer(1, 100);
        // OpenDSS rebuilds the matrices of a changed phase count at once, which ends SymComponentsChanged
        if (n !== o.nphases) o.seqOnLine = false;
        setPhases(o, n);
      },
    },
    ...impedanceProps<LineObj>().slice(0, 9).map(directImpedance),
    {
      name: 'switch',
      set: (o, v) => {
        o.isSwitch = v.boolean();
        if (!o.isSwitch) return;
        // OpenDSS makes a switch a very short, nearly ideal line; later properties may refine it
        o.seq = { r1: 1, x1: 1, r0: 1, x0: 1, c1: 1.1, c0: 1 };
        o.symmetrical = true;
        o.seqChanged = true;
        o.seqOnLine = true;
        o.length = 0.001;
        o.lengthUnits = 'none';
        o.units = 'none';
        o.lineCode = undefined;
        o.geometry = undefined;
      },
    },
    ...inertProps<LineObj>(['rg', 'xg']),
    { name: 'rho', set: (o, v) => void (o.rhoOhmM = v.positive()) },
    {
      name: 'geometry',
      set: (o, v, ctx) => assignGeometry(o, ctx.lookup<LineGeometryObj>('LineGeometry', v.raw, 'geometry')),
    },
    {
      name: 'units',
      set: (o, v, ctx) => {
        const u = parseUnits(v.raw);
        if (!u)
          throw new InvalidValueError(`units="${v.raw}" is not a length unit`, { location: ctx.location });
        o.lengthUnits = u;
      },
    },
    {
      name: 'spacing',
      set: (o, v, ctx) => {
        o.spacing = ctx.lookup<LineSpacingObj>('LineSpacing', v.raw, 'spacing');
        o.seqOnLine = false;
        o.spacingConductors = [];
        o.ownGeometry = undefined;
      },
    },
    {
      name: 'wires',
      set: (o, v, ctx) => setSpacingConductors(o, v.stringArray(), ctx, 'WireData', 'wires'),
    },
    {
      name: 'earthmodel',
      set: (o, v, ctx) => {
        o.earthModel = parseEarthModel(v.raw, ctx.location);
      },
    },
    {
      name: 'cncables',
      set: (o, v, ctx) => setSpacingConductors(o, v.stringArray(), ctx, 'CNData', 'cncables'),
    },
    {
      name: 'tscables',
      set: (o, v, ctx) => setSpacingConductors(o, v.stringArray(), ctx, 'TSData', 'tscables'),
    },
    ...impedanceProps<LineObj>().slice(9, 11).map(directImpedance),
    ...inertProps<LineObj>(['seasons', 'ratings', 'linetype']),
    ...impedanceProps<LineObj>().slice(12),
    ...inertProps<LineObj>(['faultrate', 'pctperm', 'repair']),
    impedanceProps<LineObj>()[11],
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): LineObj => ({
    className: 'Line',
    name,
    location,
    enabled: true,
    ...defaultImpedance(),
    bus1: undefined,
    bus2: undefined,
    length: 1,
    lengthUnits: 'none',
    isSwitch: false,
    lineCode: undefined,
    geometry: undefined,
    openTerminals: new Set(),
    rhoOhmM: undefined,
    earthModel: undefined,
    spacing: undefined,
    spacingConductors: [],
    ownGeometry: undefined,
    seqOnLine: false,
  }),
  like: (dst, src) => {
    Object.assign(dst, cloneImpedance(src));
    dst.length = src.length;
    dst.lengthUnits = src.lengthUnits;
    dst.isSwitch = src.isSwitch;
    dst.lineCode = src.lineCode;
    dst.geometry = src.geometry;
    dst.spacing = src.spacing;
    dst.spacingConductors = [...src.spacingConductors];
    dst.ownGeometry = src.ownGeometry;
  },
  endEdit: (o) => finishImpedanceEdit(o),
};

export function parseEarthModel(raw: string, location: SourceLocation): 'deri' | 'carson' | 'fullcarson' {
  const s = raw.toLowerCase();
  if (s.startsWith('d')) return 'deri';
  if (s.startsWith('f')) return 'fullcarson';
  if (s.startsWith('c')) return 'carson';
  throw new InvalidValueError(`earthmodel=${raw}: expected deri, carson or fullcarson`, { location });
}

export function lineBuses(o: LineObj): [BusSpec | undefined, BusSpec | undefined] {
  return [o.bus1 && cloneBus(o.bus1), o.bus2 && cloneBus(o.bus2)];
}
