import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import {
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import { parseNumber, splitArray, type ValueReader } from '../values.js';

/**
 * A load shape: multipliers over time, inline or read from files (text, single- or
 * double-precision binary). A snapshot does not evaluate shapes; time series, the market and
 * the day simulation read them, and a shape with UseActual sets the kW of what follows it.
 */
export interface LoadShapeObj extends DssObject {
  npts: number;
  /** hours between points; 0 means the points carry their own hours */
  intervalHours: number;
  hours: number[] | undefined;
  pMult: number[];
  qMult: number[] | undefined;
  useActual: boolean;
  /** Pmax/Qmax given explicitly; otherwise the point of largest |P| and its Q */
  pMaxKw: number | undefined;
  qMaxKvar: number | undefined;
}

/** OpenDSS's MaxP and MaxQ: the point of largest |P| (and the Q there), unless given. */
export function shapeMaxima(o: LoadShapeObj): { pKw: number; qKvar: number } {
  let k = -1;
  for (let i = 0; i < o.pMult.length; i++) if (k < 0 || Math.abs(o.pMult[i]) > Math.abs(o.pMult[k])) k = i;
  const p = o.pMaxKw ?? (k >= 0 ? o.pMult[k] : 1);
  const q = o.qMaxKvar ?? (k >= 0 && o.qMult ? (o.qMult[k] ?? 0) : 0);
  return { pKw: p, qKvar: q };
}

/**
 * The kW and kvar a shape with UseActual=yes gives the element that names it (OpenDSS sets the
 * element's kW and kvar to the shape's MaxP and MaxQ); undefined for a normalized shape.
 */
export function actualPowerOf(
  ctx: EditContext,
  shapeName: string,
  property: string,
): { name: string; actual: { pKw: number; qKvar: number } | undefined } {
  const shape = ctx.lookup<LoadShapeObj>('LoadShape', shapeName, property);
  return { name: shape.name, actual: shape.useActual ? shapeMaxima(shape) : undefined };
}

type Source = { kind: 'file' | 'sngfile' | 'dblfile'; name: string; column: number; header: boolean };

/** `(file=name.csv col=2 header=yes)`, `(sngfile=name)`, `(dblfile=name)`, or undefined for inline values. */
function fileSource(raw: string, ctx: EditContext): Source | undefined {
  const m = /^\s*[([{"']?\s*(file|sngfile|dblfile)\s*=\s*(.*?)\s*[)\]}"']?\s*$/i.exec(raw);
  if (!m) return undefined;
  const parts = m[2].match(/"[^"]*"|'[^']*'|[^\s,]+/g) ?? [];
  const source: Source = { kind: m[1].toLowerCase() as Source['kind'], name: '', column: 1, header: false };
  for (const [i, part] of parts.entries()) {
    const kv = /^(col|column|header)\s*=\s*(.*)$/i.exec(part);
    if (!kv && i === 0) source.name = part.replace(/^["']|["']$/g, '');
    else if (kv?.[1].toLowerCase().startsWith('col')) source.column = Number(kv[2]);
    else if (kv) source.header = /^[yt]/i.test(kv[2]);
    else
      throw new InvalidValueError(`"${part}" in "${raw}" is neither col= nor header=`, {
        location: ctx.location,
      });
  }
  if (!Number.isInteger(source.column) || source.column < 1)
    throw new InvalidValueError(`"${raw}": col must be a whole number ≥ 1`, { location: ctx.location });
  return source;
}

/** Numbers of one text column, one value per line; a bad value names the file and line. */
function textColumn(path: string, text: string, column: number, header: boolean): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = header ? 1 : 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('!') || line.startsWith('//')) continue;
    const cell = splitArray(line)[column - 1];
    const v = cell === undefined ? undefined : parseNumber(cell);
    if (v === undefined || !Number.isFinite(v))
      throw new InvalidValueError(
        `${path}:${i + 1}: expected a number in column ${column}, found "${line}"`,
        {
          location: { file: path, line: i + 1 },
        },
      );
    out.push(v);
  }
  return out;
}

function binaryValues(path: string, bytes: Uint8Array, kind: 'sngfile' | 'dblfile'): number[] {
  const size = kind === 'sngfile' ? 4 : 8;
  if (bytes.length % size !== 0)
    throw new InvalidValueError(
      `${path}: ${bytes.length} bytes is not a whole number of ${size}-byte values`,
      {
        location: { file: path },
      },
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / size }, (_, i) =>
    size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true),
  );
}

function readSource(source: Source, ctx: EditContext): number[] {
  if (source.kind === 'file') {
    const { path, text } = ctx.readText(source.name);
    return textColumn(path, text, source.column, source.header);
  }
  const { path, bytes } = ctx.readBytes(source.name);
  return binaryValues(path, bytes, source.kind);
}

/** An array property's values: inline, or from the file it names. */
function arrayValues(v: ValueReader, ctx: EditContext): number[] {
  const source = fileSource(v.raw, ctx);
  return source ? readSource(source, ctx) : v.numberArray();
}

/** OpenDSS keeps at most npts values and lowers npts when fewer are given (npts 0: all of them). */
function fitPoints(o: LoadShapeObj, values: number[]): number[] {
  if (o.npts > 0 && values.length > o.npts) return values.slice(0, o.npts);
  o.npts = values.length;
  return values;
}

function multProp(name: string): PropertyDef<LoadShapeObj> {
  return { name, set: (o, v, ctx) => void (o.pMult = fitPoints(o, arrayValues(v, ctx))) };
}

/** csvfile/sngfile/dblfile: (hour, mult) pairs when the interval is 0, else one mult per point. */
function wholeFileProp(name: 'csvfile' | 'sngfile' | 'dblfile'): PropertyDef<LoadShapeObj> {
  return {
    name,
    set: (o, v, ctx) => {
      const kind = name === 'csvfile' ? 'file' : name;
      const source: Source = { kind, name: v.raw, column: 1, header: false };
      if (o.intervalHours > 0) {
        o.pMult = fitPoints(o, readSource(source, ctx));
        return;
      }
      if (kind === 'file') {
        const { path, text } = ctx.readText(v.raw);
        o.hours = fitPoints(o, textColumn(path, text, 1, false));
        o.pMult = textColumn(path, text, 2, false).slice(0, o.npts);
        return;
      }
      const pairs = readSource(source, ctx);
      o.hours = fitPoints(
        o,
        pairs.filter((_, i) => i % 2 === 0),
      );
      o.pMult = pairs.filter((_, i) => i % 2 === 1).slice(0, o.npts);
    },
  };
}

const intervalProp = (name: string, hoursPer: number): PropertyDef<LoadShapeObj> => ({
  name,
  set: (o, v) => void (o.intervalHours = v.nonNegative() * hoursPer),
});

/** action=normalize scales P (and Q) to a peak of 1 and clears UseActual; the save actions only write files. */
function actionProp(): PropertyDef<LoadShapeObj> {
  return {
    name: 'action',
    set: (o, v, ctx) => {
      const a = v.raw.toLowerCase();
      if (a.startsWith('n')) {
        const peak = Math.max(0, ...o.pMult.map(Math.abs));
        if (peak > 0) o.pMult = o.pMult.map((x) => x / peak);
        const qPeak = Math.max(0, ...(o.qMult ?? []).map(Math.abs));
        if (o.qMult && qPeak > 0) o.qMult = o.qMult.map((x) => x / qPeak);
        o.useActual = false;
      } else if (!/^(d|s)/.test(a))
        throw new InvalidValueError(
          `LoadShape.${o.name} action=${v.raw}: expected normalize, dblsave or sngsave`,
          {
            location: ctx.location,
          },
        );
    },
  };
}

export const loadShapeClass: DssClassDef<LoadShapeObj> = {
  name: 'LoadShape',
  general: true,
  props: [
    {
      name: 'npts',
      set: (o, v) => {
        o.npts = v.integer(0);
        if (o.pMult.length > o.npts) o.pMult = o.pMult.slice(0, o.npts);
      },
    },
    intervalProp('interval', 1),
    multProp('mult'),
    { name: 'hour', set: (o, v, ctx) => void (o.hours = arrayValues(v, ctx)) },
    // mean and standard deviation feed Monte Carlo modes only
    ...inertProps<LoadShapeObj>(['mean', 'stddev']),
    wholeFileProp('csvfile'),
    wholeFileProp('sngfile'),
    wholeFileProp('dblfile'),
    actionProp(),
    { name: 'qmult', set: (o, v, ctx) => void (o.qMult = arrayValues(v, ctx).slice(0, o.npts || undefined)) },
    { name: 'useactual', set: (o, v) => void (o.useActual = v.boolean()) },
    { name: 'pmax', set: (o, v) => void (o.pMaxKw = v.number()) },
    { name: 'qmax', set: (o, v) => void (o.qMaxKvar = v.number()) },
    intervalProp('sinterval', 1 / 3600),
    intervalProp('minterval', 1 / 60),
    // bases for normalizing and for reporting actual values
    ...inertProps<LoadShapeObj>(['pbase', 'qbase']),
    multProp('pmult'),
    {
      name: 'pqcsvfile',
      set: (o, v, ctx) => {
        const { path, text } = ctx.readText(v.raw);
        o.pMult = fitPoints(o, textColumn(path, text, 1, false));
        o.qMult = textColumn(path, text, 2, false).slice(0, o.npts);
      },
    },
    ...inertProps<LoadShapeObj>(['memorymapping', 'interpolation']),
  ],
  create: (name: string, location: SourceLocation) => ({
    className: 'LoadShape',
    name,
    location,
    enabled: true,
    npts: 0,
    intervalHours: 1,
    hours: undefined,
    pMult: [],
    qMult: undefined,
    useActual: false,
    pMaxKw: undefined,
    qMaxKvar: undefined,
  }),
  like: (dst, src) =>
    Object.assign(dst, structuredClone({ ...src, location: {} }), { name: dst.name, location: dst.location }),
};

/**
 * OpenDSS's GetMultAtHour: on a fixed interval the point nearest the hour (the curve repeats,
 * so a day serves a year); on given hours, the exact point or a linear interpolation. Q follows P
 * unless qmult is given (a UseActual shape without qmult gives no Q). No points: 1 and 1.
 */
export function shapeAt(o: LoadShapeObj, hour: number): { p: number; q: number } {
  const n = o.npts > 0 ? Math.min(o.npts, o.pMult.length) : o.pMult.length;
  if (n <= 0) return { p: 1, q: 1 };
  const at = (i: number) => {
    const p = o.pMult[i];
    return { p, q: o.qMult ? (o.qMult[i] ?? 0) : o.useActual ? 0 : p };
  };
  if (n === 1) return at(0);
  if (o.intervalHours > 0) {
    let i = Math.round(hour / o.intervalHours);
    if (i > n) i %= n;
    if (i === 0) i = n;
    return at(i - 1);
  }
  const h = o.hours ?? [];
  const last = h[n - 1];
  let hr = hour;
  if (hr > last) hr -= Math.trunc(hr / last) * last;
  for (let i = 0; i < n; i++) {
    if (Math.abs(h[i] - hr) < 1e-5) return at(i);
    if (h[i] > hr) {
      if (i === 0) return at(0);
      const a = at(i - 1);
      const b = at(i);
      const w = (hr - h[i - 1]) / (h[i] - h[i - 1]);
      return { p: a.p + w * (b.p - a.p), q: a.q + w * (b.q - a.q) };
    }
  }
  return at(n - 1);
}
