import type { AdrRecord } from '../store/index.js';

/** Where a resource sits on the feeder, from its BUS and PHASES attributes. */
export interface GridPlace {
  bus: string;
  phases: number[];
}

/** The attribute types that place a resource on the feeder (private strings, as the spec allows). */
export const BUS_ATTRIBUTE = 'BUS';
export const PHASES_ATTRIBUTE = 'PHASES';

/** A resource's bus and phases, or undefined when it does not say them. */
export function placeOf(resource: AdrRecord): GridPlace | undefined {
  const attributes = (resource.body.attributes ?? []) as { type: string; values: unknown[] }[];
  const bus = attributes.find((a) => a.type === BUS_ATTRIBUTE)?.values[0];
  const phases = attributes.find((a) => a.type === PHASES_ATTRIBUTE)?.values.map(Number) ?? [1, 2, 3];
  if (typeof bus !== 'string' || bus === '' || phases.some((p) => !Number.isInteger(p))) return undefined;
  return { bus: bus.toLowerCase(), phases: [...new Set(phases)].sort() };
}
