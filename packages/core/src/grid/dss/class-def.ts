import { DssReferenceError, type SourceLocation } from '../../errors/index.js';
import type { ValueReader } from './values.js';

/** Everything a property setter may need besides its value. */
export interface EditContext {
  readonly location: SourceLocation;
  /** Finds another object by class and name, e.g. a LineCode; throws a named error if absent. */
  lookup<T>(className: string, name: string, property: string): T;
}

export interface PropertyDef<T> {
  /** lower-case property name as OpenDSS spells it */
  name: string;
  aliases?: string[];
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
  props: PropertyDef<T>[];
  create(name: string, location: SourceLocation): T;
  /** Copies what OpenDSS's `like=` copies from src into dst. */
  like(dst: T, src: T): void;
  /** Runs after each New/Edit command, as OpenDSS recalculates element data. */
  endEdit?(obj: T, ctx: EditContext): void;
}

/**
 * Finds a property by exact name or alias, else by unique-enough prefix in table order,
 * as OpenDSS accepts abbreviated property names.
 */
export function findProperty<T extends DssObject>(
  def: DssClassDef<T>,
  name: string,
  location: SourceLocation,
): { prop: PropertyDef<T>; index: number } {
  const key = name.toLowerCase();
  for (let i = 0; i < def.props.length; i++) {
    const p = def.props[i];
    if (p.name === key || p.aliases?.includes(key)) return { prop: p, index: i };
  }
  for (let i = 0; i < def.props.length; i++) {
    if (def.props[i].name.startsWith(key)) return { prop: def.props[i], index: i };
  }
  throw new DssReferenceError(`unknown property "${name}" of class ${def.name}`, {
    location,
    details: { className: def.name, property: name },
  });
}
