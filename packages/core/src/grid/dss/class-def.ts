import { DssReferenceError, type SourceLocation, UnsupportedFeatureError } from '../../errors/index.js';
import type { ValueReader } from './values.js';

/** Everything a property setter may need besides its value. */
export interface EditContext {
  readonly location: SourceLocation;
  /** Finds another object by class and name, e.g. a LineCode; throws a named error if absent. */
  lookup<T>(className: string, name: string, property: string): T;
  /** the circuit's base frequency (Set DefaultBaseFrequency), Hz */
  readonly baseFrequencyHz: number;
  /** A data file a property names (a load shape's values), relative to the script's folder. */
  readText(name: string): { path: string; text: string };
  readBytes(name: string): { path: string; bytes: Uint8Array };
}

export interface PropertyDef<T> {
  /** lower-case property name as OpenDSS spells it (OpenDSS has no aliases: X12 is a property of its own) */
  name: string;
  set(obj: T, value: ValueReader, ctx: EditContext): void;
}

/** Base of every object a script defines: its class, name and where it was created. */
export interface DssObject {
  readonly className: string;
  name: string;
  location: SourceLocation;
  enabled: boolean;
}

/**
 * One OpenDSS class: its property table (in OpenDSS's order, which positional parameters
 * follow), a factory and how `like=` copies an object.
 */
export interface DssClassDef<T extends DssObject> {
  /** canonical class name, e.g. 'Line' */
  name: string;
  /**
   * A general (library) class such as LineCode or LoadShape: its objects need no circuit, may be
   * defined before New Circuit and are shared by every circuit until Clear, as in OpenDSS.
   */
  general?: boolean;
  props: PropertyDef<T>[];
  create(name: string, location: SourceLocation): T;
  /** Copies what OpenDSS's `like=` copies from src into dst. */
  like(dst: T, src: T): void;
  /** Runs after each New/Edit command, as OpenDSS recalculates element data. */
  endEdit?(obj: T, ctx: EditContext): void;
}

/** OpenDSS's last property of every class; the interpreter copies the named object. */
export const likeProperty = 'like';

/**
 * Resolves a property name as OpenDSS does: an exact name first, else the FIRST property in
 * OpenDSS's own order that starts with the given text (so Transformer `r` is Rneut, not %R),
 * where `like` closes every class's list. Returns index = props.length for `like`.
 */
export function findProperty<T extends DssObject>(
  def: DssClassDef<T>,
  name: string,
  location: SourceLocation,
): { prop: PropertyDef<T> | undefined; index: number } {
  const key = name.toLowerCase();
  const props = def.props;
  for (let i = 0; i < props.length; i++) if (props[i].name === key) return { prop: props[i], index: i };
  if (key === likeProperty) return { prop: undefined, index: props.length };
  if (key.length > 0) {
    for (let i = 0; i < props.length; i++)
      if (props[i].name.startsWith(key)) return { prop: props[i], index: i };
    if (likeProperty.startsWith(key)) return { prop: undefined, index: props.length };
  }
  throw new DssReferenceError(`unknown property "${name}" of class ${def.name}`, {
    location,
    details: { className: def.name, property: name },
  });
}

/**
 * Properties that cannot change a snapshot power flow (reliability, harmonics, reports,
 * time series a snapshot does not step through); they are read and kept nowhere.
 */
export function inertProps<T>(names: string[]): PropertyDef<T>[] {
  return names.map((name) => ({ name, set: () => {} }));
}

/**
 * An element's basefreq. GridTier solves every element at the circuit's base frequency, so a
 * different one (OpenDSS would rescale the element's reactances to it) is refused.
 */
export function baseFreqProp<T>(className: string, apply?: (o: T, hz: number) => void): PropertyDef<T> {
  return {
    name: 'basefreq',
    set: (o, v, ctx) => {
      const hz = v.positive();
      if (Math.abs(hz - ctx.baseFrequencyHz) > 1e-9)
        throw new UnsupportedFeatureError(
          `${className} basefreq=${v.raw} differs from the circuit's base frequency ${ctx.baseFrequencyHz} Hz`,
          { location: ctx.location, details: { className, property: 'basefreq' } },
        );
      apply?.(o, hz);
    },
  };
}

/**
 * Properties GridTier does not model although they would change the solution: setting one is
 * refused with the file and line, never ignored. `allow` lists values that mean "off".
 */
export function refusedProps<T>(className: string, names: string[], allow: string[] = []): PropertyDef<T>[] {
  return names.map((name) => ({
    name,
    set: (_o: T, v: ValueReader, ctx: EditContext) => {
      if (allow.includes(v.raw.toLowerCase())) return;
      throw new UnsupportedFeatureError(`${className} property ${name}=${v.raw} is not supported`, {
        location: ctx.location,
        details: { className, property: name },
      });
    },
  }));
}
