import { InvalidValueError, type SourceLocation } from '../../errors/index.js';
import type { Param } from './lexer.js';
import { evaluateRpn } from './rpn.js';

/** A bus connection as written in a script: `name.1.2.3`. */
export interface BusSpec {
  /** lower-case bus name */
  bus: string;
  /** node numbers as written; empty when none were given */
  nodes: number[];
}

/** Reads typed values from one parameter, naming the property and place in every error. */
export class ValueReader {
  constructor(
    readonly param: Param,
    readonly property: string,
    readonly location: SourceLocation,
  ) {}

  private fail(what: string): never {
    throw new InvalidValueError(`${this.property}=${JSON.stringify(this.param.value)}: ${what}`, {
      location: this.location,
      details: { property: this.property, value: this.param.value },
    });
  }

  get raw(): string {
    return this.param.value;
  }

  string(): string {
    return this.param.value;
  }

  /** A number; in-line RPN math is evaluated when written in parentheses, braces or with spaces. */
  number(): number {
    const v = parseNumber(this.param.value, this.location, this.param.quote !== undefined);
    if (v === undefined) this.fail('not a number');
    if (!Number.isFinite(v)) this.fail('not a finite number');
    return v;
  }

  nonNegative(): number {
    const v = this.number();
    if (v < 0) this.fail('must not be negative');
    return v;
  }

  positive(): number {
    const v = this.number();
    if (!(v > 0)) this.fail('must be positive');
    return v;
  }

  /**
   * A network's fundamental frequency: 50 or 60 Hz in practice, 1 to 1000 Hz accepted. Reactances
   * scale with it, so 1e308 or 1e-300 would leave a network that solves to nonsense or not at all.
   */
  frequencyHz(): number {
    const v = this.number();
    if (!(v >= 1 && v <= 1000)) this.fail('must be a frequency between 1 and 1000 Hz');
    return v;
  }

  integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.number();
    const r = Math.round(v);
    if (Math.abs(v - r) > 1e-9) this.fail('must be a whole number');
    if (r < min || r > max) this.fail(`must be between ${min} and ${max}`);
    return r;
  }

  boolean(): boolean {
    const s = this.param.value.trim().toLowerCase();
    if (s === '' || s.startsWith('y') || s.startsWith('t') || s === '1') return true;
    if (s.startsWith('n') || s.startsWith('f') || s === '0') return false;
    return this.fail('expected yes/no or true/false');
  }

  /** wye (y, ln, wye) → 'wye'; delta (d, ll, delta) → 'delta' */
  connection(): 'wye' | 'delta' {
    const c = parseConnection(this.param.value);
    if (!c) this.fail('expected wye or delta');
    return c;
  }

  numberArray(): number[] {
    const parts = splitArray(this.param.value);
    return parts.map((p) => {
      const v = parseNumber(p, this.location);
      if (v === undefined || !Number.isFinite(v)) this.fail(`"${p}" is not a number`);
      return v;
    });
  }

  stringArray(): string[] {
    return splitArray(this.param.value);
  }

  /**
   * A symmetric matrix of the given order, written as the lower triangle with rows separated
   * by `|` (or the full matrix, whose lower triangle is read), returned row-major.
   */
  symmetricMatrix(order: number): Float64Array {
    const text = this.param.value;
    const m = new Float64Array(order * order);
    const put = (i: number, j: number, v: number) => {
      m[i * order + j] = v;
      m[j * order + i] = v;
    };
    if (text.includes('|')) {
      const rows = text.split('|').map((r) => splitArray(r));
      if (rows.length < order) this.fail(`expected ${order} rows separated by |, found ${rows.length}`);
      for (let i = 0; i < order; i++) {
        if (rows[i].length < i + 1) this.fail(`row ${i + 1} needs at least ${i + 1} values`);
        for (let j = 0; j <= i; j++) put(i, j, this.numberAt(rows[i][j]));
      }
      return m;
    }
    const vals = splitArray(text).map((s) => this.numberAt(s));
    if (vals.length === order * order) {
      for (let i = 0; i < order; i++) for (let j = 0; j <= i; j++) put(i, j, vals[i * order + j]);
    } else if (vals.length === (order * (order + 1)) / 2) {
      let k = 0;
      for (let i = 0; i < order; i++) for (let j = 0; j <= i; j++) put(i, j, vals[k++]);
    } else {
      this.fail(`expected a ${order}x${order} matrix, found ${vals.length} values`);
    }
    return m;
  }

  private numberAt(s: string): number {
    const v = parseNumber(s, this.location);
    if (v === undefined || !Number.isFinite(v)) this.fail(`"${s}" is not a number`);
    return v;
  }

  bus(): BusSpec {
    return parseBusSpec(this.param.value, this.location, this.property);
  }
}

/**
 * A number as OpenDSS reads it: a quoted value (in parentheses, brackets, braces or quotes)
 * is in-line RPN math, anything else must be a plain decimal number.
 */
export function parseNumber(text: string, loc?: SourceLocation, quoted = false): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const stripped = s.replace(/^[([{"']|[)\]}"']$/g, '');
  if (quoted || stripped !== s) return evaluateRpn(stripped, loc);
  const v = Number(stripped);
  return Number.isNaN(v) ? undefined : v;
}

export function splitArray(text: string): string[] {
  const s = text.trim().replace(/^[([{"']|[)\]}"']$/g, '');
  return s.split(/[\s,]+/).filter((x) => x.length > 0);
}

/**
 * OpenDSS reads a connection by its first letter (y/w wye, d delta; ln or ll), so `w`, `wye`
 * and `Y` are all wye. Text OpenDSS would silently take as wye is refused instead.
 */
export function parseConnection(text: string): 'wye' | 'delta' | undefined {
  const s = text.trim().toLowerCase();
  if (s.startsWith('y') || s.startsWith('w') || s.startsWith('ln') || s === 'star') return 'wye';
  if (s.startsWith('d') || s.startsWith('ll')) return 'delta';
  return undefined;
}

export function parseBusSpec(text: string, loc: SourceLocation, property = 'bus'): BusSpec {
  const parts = text.trim().split('.');
  const bus = parts[0].toLowerCase();
  if (bus === '') {
    throw new InvalidValueError(`${property}="${text}": empty bus name`, { location: loc });
  }
  const nodes = parts.slice(1).map((p) => {
    const v = Number(p);
    if (p === '' || !Number.isInteger(v) || v < 0) {
      throw new InvalidValueError(`${property}="${text}": node "${p}" is not a whole number ≥ 0`, {
        location: loc,
      });
    }
    return v;
  });
  return { bus, nodes };
}
