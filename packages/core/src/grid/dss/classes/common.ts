import type { SourceLocation } from '../../../errors/index.js';
import type { BusSpec } from '../values.js';

/** Ratings every power-delivery element carries; the market reads them as branch limits. */
export interface Ratings {
  normAmps: number;
  emergAmps: number;
}

/** Fields shared by every circuit element: terminals' buses. */
export interface Terminals {
  buses: BusSpec[];
}

export const unitsCodes = ['none', 'mi', 'kft', 'km', 'm', 'ft', 'in', 'cm', 'mm'] as const;
export type LengthUnits = (typeof unitsCodes)[number];

/** Length of one unit in metres as OpenDSS counts it (the international mile); 'none' means as given. */
const metres: Record<LengthUnits, number> = {
  none: 1,
  mi: 1609.344,
  kft: 304.8,
  km: 1000,
  m: 1,
  ft: 0.3048,
  in: 0.0254,
  cm: 0.01,
  mm: 0.001,
};

export function parseUnits(text: string): LengthUnits | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'meter' || s === 'metre') return 'm';
  if (s === 'mile' || s === 'miles') return 'mi';
  if (s === 'feet' || s === 'foot') return 'ft';
  return (unitsCodes as readonly string[]).includes(s) ? (s as LengthUnits) : undefined;
}

/** Metres in one unit; 'none' counts as metres, as OpenDSS's line constants take it. */
export function toMetres(u: LengthUnits): number {
  return metres[u];
}

/**
 * Factor that turns a per-`from`-unit quantity into per-`to`-unit; 1 when either side
 * is 'none', because OpenDSS then assumes the two already agree.
 */
export function perUnitLengthFactor(from: LengthUnits, to: LengthUnits): number {
  if (from === 'none' || to === 'none') return 1;
  return metres[to] / metres[from];
}

export function cloneBus(b: BusSpec): BusSpec {
  return { bus: b.bus, nodes: [...b.nodes] };
}

export const noLocation: SourceLocation = {};
