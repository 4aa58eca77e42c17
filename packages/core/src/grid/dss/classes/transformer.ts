import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import {
  baseFreqProp,
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import { type BusSpec, parseConnection, type ValueReader } from '../values.js';

export interface Winding {
  conn: 'wye' | 'delta';
  kv: number;
  kva: number;
  tap: number;
  /** per unit on winding 1's kVA base */
  rPu: number;
  rNeutOhms: number;
  xNeutOhms: number;
  maxTap: number;
  minTap: number;
  numTaps: number;
  bus: BusSpec | undefined;
}

/** Data a Transformer and an XfmrCode share. */
export interface TransformerData {
  phases: number;
  windings: Winding[];
  activeWinding: number;
  /** short-circuit reactances in per unit on winding 1's kVA: X12, X13, …, X1N, X23, … */
  xsc: number[];
  xhl: number;
  xht: number;
  xlt: number;
  xChanged: boolean;
  pctLoadLoss: number;
  pctNoLoadLoss: number;
  pctImag: number;
  ppmAntiFloat: number;
  leadsLag: 'lag' | 'lead';
  normHkva: number;
  emergHkva: number;
}

export interface TransformerObj extends DssObject, TransformerData {
  bank: string | undefined;
  xfmrCode: string | undefined;
}

export interface XfmrCodeObj extends DssObject, TransformerData {}

export function defaultWinding(): Winding {
  return {
    conn: 'wye',
    kv: 12.47,
    kva: 1000,
    tap: 1,
    rPu: 0.002,
    rNeutOhms: -1,
    xNeutOhms: 0,
    maxTap: 1.1,
    minTap: 0.9,
    numTaps: 32,
    bus: undefined,
  };
}

export function defaultTransformerData(): TransformerData {
  return {
    phases: 3,
    windings: [defaultWinding(), defaultWinding()],
    activeWinding: 0,
    xsc: [0.07],
    xhl: 0.07,
    xht: 0.35,
    xlt: 0.3,
    xChanged: false,
    pctLoadLoss: 0.4,
    pctNoLoadLoss: 0,
    pctImag: 0,
    ppmAntiFloat: 1,
    leadsLag: 'lag',
    normHkva: 1100,
    emergHkva: 1500,
  };
}

function setWindingCount(o: TransformerData, n: number): void {
  // OpenDSS re-initialises every winding; new short-circuit entries start at 30 %
  o.windings = Array.from({ length: n }, defaultWinding);
  const m = (n * (n - 1)) / 2;
  const xsc = o.xsc.slice(0, m);
  while (xsc.length < m) xsc.push(0.3);
  o.xsc = xsc;
  o.activeWinding = 0;
}

const active = (o: TransformerData): Winding => o.windings[o.activeWinding];

function perWinding<T extends TransformerData>(
  name: string,
  read: (v: ValueReader) => number | string,
  apply: (w: Winding, value: never, o: T) => void,
): PropertyDef<T> {
  return { name, set: (o, v) => apply(active(o), read(v) as never, o) };
}

/** Array properties fill windings in order and leave the last winding active, like OpenDSS. */
function arrayProp<T extends TransformerData>(
  name: string,
  read: (v: ValueReader, ctx: EditContext) => unknown[],
  apply: (w: Winding, value: never, o: T) => void,
): PropertyDef<T> {
  return {
    name,
    set: (o, v, ctx) => {
      const vals = read(v, ctx);
      vals.slice(0, o.windings.length).forEach((x, i) => {
        apply(o.windings[i], x as never, o);
      });
      o.activeWinding = o.windings.length - 1;
    },
  };
}

/** XHL/XHT/XLT and their later duplicates X12/X13/X23 (OpenDSS lists both; they set the same value). */
function reactance<T extends TransformerData>(name: string, key: 'xhl' | 'xht' | 'xlt') {
  const trap = { xhl: 0.07, xht: 0.35, xlt: 0.3 }[key];
  return {
    name,
    set: (o: T, v: ValueReader) => {
      const x = v.nonNegative() * 0.01;
      o[key] = x === 0 ? trap : x;
      o.xChanged = true;
    },
  } satisfies PropertyDef<T>;
}

function setKva(o: TransformerData, kva: number): void {
  active(o).kva = kva;
  if (o.activeWinding === 0) {
    for (const w of o.windings) w.kva = kva;
    o.normHkva = 1.1 * kva;
    o.emergHkva = 1.5 * kva;
  } else if (o.windings.length === 2) {
    o.windings[0].kva = kva;
  }
}

const busList = (v: ValueReader): BusSpec[] =>
  v
    .stringArray()
    .map((s) => ({ bus: s.split('.')[0].toLowerCase(), nodes: s.split('.').slice(1).map(Number) }));

function connList(v: ValueReader, ctx: EditContext): ('wye' | 'delta')[] {
  return v.stringArray().map((s) => {
    const c = parseConnection(s);
    if (c) return c;
    throw new InvalidValueError(`conns: "${s}" is neither wye nor delta`, { location: ctx.location });
  });
}

/** Properties common to Transformer and XfmrCode, in OpenDSS's order. */
function dataProps<T extends TransformerData>(withBuses: boolean): PropertyDef<T>[] {
  const props: PropertyDef<T>[] = [
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    { name: 'windings', set: (o, v) => setWindingCount(o, v.integer(2, 100)) },
    {
      name: 'wdg',
      set: (o, v) => {
        o.activeWinding = v.integer(1, o.windings.length) - 1;
      },
    },
  ];
  if (withBuses) props.push({ name: 'bus', set: (o, v) => void (active(o).bus = v.bus()) });
  props.push(
    { name: 'conn', set: (o, v) => void (active(o).conn = v.connection()) },
    perWinding(
      'kv',
      (v) => v.positive(),
      (w, x: number) => void (w.kv = x),
    ),
    { name: 'kva', set: (o, v) => setKva(o, v.positive()) },
    perWinding(
      'tap',
      (v) => v.positive(),
      (w, x: number) => void (w.tap = x),
    ),
    {
      name: '%r',
      set: (o, v) => {
        active(o).rPu = v.nonNegative() * 0.01;
        o.pctLoadLoss = (o.windings[0].rPu + o.windings[1].rPu) * 100;
      },
    },
    perWinding(
      'rneut',
      (v) => v.number(),
      (w, x: number) => void (w.rNeutOhms = x),
    ),
    perWinding(
      'xneut',
      (v) => v.number(),
      (w, x: number) => void (w.xNeutOhms = x),
    ),
  );
  if (withBuses) props.push(arrayProp('buses', busList, (w, b: BusSpec) => void (w.bus = b)));
  props.push(
    arrayProp('conns', connList, (w, c: 'wye' | 'delta') => void (w.conn = c)),
    arrayProp(
      'kvs',
      (v) => v.numberArray(),
      (w, x: number) => void (w.kv = x),
    ),
    {
      name: 'kvas',
      set: (o, v) => {
        v.numberArray()
          .slice(0, o.windings.length)
          .forEach((x, i) => {
            o.windings[i].kva = x;
          });
        o.normHkva = 1.1 * o.windings[0].kva;
        o.emergHkva = 1.5 * o.windings[0].kva;
        o.activeWinding = o.windings.length - 1;
      },
    },
    arrayProp(
      'taps',
      (v) => v.numberArray(),
      (w, x: number) => void (w.tap = x),
    ),
    reactance<T>('xhl', 'xhl'),
    reactance<T>('xht', 'xht'),
    reactance<T>('xlt', 'xlt'),
    {
      name: 'xscarray',
      set: (o, v) => {
        const m = (o.windings.length * (o.windings.length - 1)) / 2;
        const vals = v.numberArray();
        o.xsc = Array.from({ length: m }, (_, i) => (vals[i] ?? 0) * 0.01);
      },
    },
    ...inertProps<T>(['thermal', 'n', 'm', 'flrise', 'hsrise']),
    {
      name: '%loadloss',
      set: (o, v) => {
        o.pctLoadLoss = v.nonNegative();
        o.windings[0].rPu = o.pctLoadLoss / 200;
        o.windings[1].rPu = o.pctLoadLoss / 200;
      },
    },
    { name: '%noloadloss', set: (o, v) => void (o.pctNoLoadLoss = v.nonNegative()) },
    { name: 'normhkva', set: (o, v) => void (o.normHkva = v.nonNegative()) },
    { name: 'emerghkva', set: (o, v) => void (o.emergHkva = v.nonNegative()) },
  );
  if (withBuses) props.push(...inertProps<T>(['sub']));
  props.push(
    perWinding(
      'maxtap',
      (v) => v.positive(),
      (w, x: number) => void (w.maxTap = x),
    ),
    perWinding(
      'mintap',
      (v) => v.positive(),
      (w, x: number) => void (w.minTap = x),
    ),
    perWinding(
      'numtaps',
      (v) => v.integer(0),
      (w, x: number) => void (w.numTaps = x),
    ),
  );
  if (withBuses) props.push(...inertProps<T>(['subname']));
  props.push(
    { name: '%imag', set: (o, v) => void (o.pctImag = v.nonNegative()) },
    { name: 'ppm_antifloat', set: (o, v) => void (o.ppmAntiFloat = v.nonNegative()) },
    {
      name: '%rs',
      set: (o, v) => {
        v.numberArray()
          .slice(0, o.windings.length)
          .forEach((x, i) => {
            o.windings[i].rPu = x * 0.01;
          });
        o.pctLoadLoss = (o.windings[0].rPu + o.windings[1].rPu) * 100;
      },
    },
  );
  return props;
}

/** Copies the electrical data only (no buses, never the identity of the source object). */
export function cloneTransformerData(src: TransformerData): TransformerData {
  return {
    phases: src.phases,
    windings: src.windings.map((w) => ({ ...w, bus: undefined })),
    activeWinding: src.activeWinding,
    xsc: [...src.xsc],
    xhl: src.xhl,
    xht: src.xht,
    xlt: src.xlt,
    xChanged: false,
    pctLoadLoss: src.pctLoadLoss,
    pctNoLoadLoss: src.pctNoLoadLoss,
    pctImag: src.pctImag,
    ppmAntiFloat: src.ppmAntiFloat,
    leadsLag: src.leadsLag,
    normHkva: src.normHkva,
    emergHkva: src.emergHkva,
  };
}

/** At the end of an edit OpenDSS copies XHL/XHT/XLT into the short-circuit array. */
function endTransformerEdit(o: TransformerData): void {
  if (o.xChanged && o.windings.length <= 3) {
    const x = [o.xhl, o.xht, o.xlt];
    for (let i = 0; i < o.xsc.length; i++) o.xsc[i] = x[i];
  }
  o.xChanged = false;
}

function applyCode(o: TransformerObj, code: XfmrCodeObj): void {
  const data = cloneTransformerData(code);
  Object.assign(o, data);
  o.xfmrCode = code.name;
}

const duplicateReactances = <T extends TransformerData>(): PropertyDef<T>[] => [
  reactance<T>('x12', 'xhl'),
  reactance<T>('x13', 'xht'),
  reactance<T>('x23', 'xlt'),
];

const leadLag = <T extends TransformerData>(): PropertyDef<T> => ({
  name: 'leadlag',
  set: (o, v) => {
    const s = v.raw.toLowerCase();
    o.leadsLag = s.startsWith('lead') || s.startsWith('euro') ? 'lead' : 'lag';
  },
});

export const transformerClass: DssClassDef<TransformerObj> = {
  name: 'Transformer',
  props: [
    ...dataProps<TransformerObj>(true),
    { name: 'bank', set: (o, v) => void (o.bank = v.raw.toLowerCase()) },
    {
      name: 'xfmrcode',
      set: (o, v, ctx) => applyCode(o, ctx.lookup<XfmrCodeObj>('XfmrCode', v.raw, 'xfmrcode')),
    },
    ...inertProps<TransformerObj>(['xrconst']),
    ...duplicateReactances<TransformerObj>(),
    leadLag<TransformerObj>(),
    ...inertProps<TransformerObj>([
      'wdgcurrents',
      'core',
      'rdcohms',
      'seasons',
      'ratings',
      'normamps',
      'emergamps',
      'faultrate',
      'pctperm',
      'repair',
    ]),
    baseFreqProp<TransformerObj>('Transformer'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): TransformerObj => ({
    className: 'Transformer',
    name,
    location,
    enabled: true,
    ...defaultTransformerData(),
    bank: undefined,
    xfmrCode: undefined,
  }),
  like: (dst, src) => {
    const data = cloneTransformerData(src);
    // like= keeps the new object's %imag and anti-float setting, as OpenDSS does
    Object.assign(dst, data, {
      pctImag: dst.pctImag,
      ppmAntiFloat: dst.ppmAntiFloat,
      leadsLag: dst.leadsLag,
    });
    dst.bank = src.bank;
    dst.xfmrCode = src.xfmrCode;
  },
  endEdit: (o) => endTransformerEdit(o),
};

export const xfmrCodeClass: DssClassDef<XfmrCodeObj> = {
  name: 'XfmrCode',
  general: true,
  props: [
    ...dataProps<XfmrCodeObj>(false),
    ...duplicateReactances<XfmrCodeObj>(),
    ...inertProps<XfmrCodeObj>(['rdcohms', 'seasons', 'ratings']),
  ],
  create: (name: string, location: SourceLocation): XfmrCodeObj => ({
    className: 'XfmrCode',
    name,
    location,
    enabled: true,
    ...defaultTransformerData(),
  }),
  like: (dst, src) => Object.assign(dst, cloneTransformerData(src)),
  endEdit: (o) => endTransformerEdit(o),
};
