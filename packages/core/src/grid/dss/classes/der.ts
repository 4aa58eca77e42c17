import type { DssCircuitState } from '../circuit-state.js';
import type { DssClassDef, DssObject, EditContext, PropertyDef } from '../class-def.js';
import type { BusSpec, ValueReader } from '../values.js';

/**
 * What a power-conversion element (Generator, PVSystem, Storage) puts into a power flow at
 * one operating point: OpenDSS's "model 1" family — constant P and Q between vMinPu and vMaxPu,
 * constant impedance outside — or a constant impedance throughout (model 2). Power is
 * generation-positive: a generator's kW, a storage unit's discharge.
 */
export interface PowerInjection {
  bus1: BusSpec;
  phases: number;
  conn: 'wye' | 'delta';
  /** per phase (wye) or per delta branch, volts: the element's own VBase */
  vBaseV: number;
  pKw: number;
  qKvar: number;
  model: 'constantPQ' | 'constantZ';
  vMinPu: number;
  vMaxPu: number;
  /** Generator model 3: the vars hold |V| at a target instead of following qKvar */
  voltageRegulation?: VoltageRegulation;
}

/** A voltage-regulating generator's settings, per phase (OpenDSS's model 3). */
export interface VoltageRegulation {
  vPu: number;
  /** line-to-neutral volts (line-to-line/√3 for 2 and 3 phases) */
  vTargetV: number;
  qMaxVar: number;
  qMinVar: number;
  pvFactor: number;
  /** vars when the matrix is built: its 1 % admittance holds them */
  qAtBuildVar: number;
  /** vars the iteration starts from when it continues an earlier solution */
  qStartVar: number;
  /** vars at kvar: where a fresh solution starts (OpenDSS's ResetStartPoint) */
  qKvarVar: number;
  /** dQ/dV of an earlier solution, undefined to compute it from the matrix */
  dqdv: number | undefined;
}

/**
 * A class whose objects enter the power flow as injections. Adding such an element is one file
 * that implements this and its registration in the class list; the network builder needs nothing.
 */
export interface InjectionClassDef<T extends DssObject> extends DssClassDef<T> {
  /** The element's injection at a snapshot of `state`; undefined when it has no bus yet. */
  injection(o: T, state: DssCircuitState): PowerInjection | undefined;
}

export function isInjectionClass(def: DssClassDef<DssObject>): def is InjectionClassDef<DssObject> {
  return 'injection' in def;
}

/**
 * OpenDSS's VBase of a generator or inverter: line-to-neutral for 2 and 3 phases, the kV as
 * given for one phase; a delta branch sees √3 times the line-to-neutral value.
 */
export function derVBase(kv: number, phases: number, conn: 'wye' | 'delta'): number {
  const ln = phases === 2 || phases === 3 ? (kv * 1000) / Math.sqrt(3) : kv * 1000;
  return conn === 'delta' && (phases === 2 || phases === 3) ? ln * Math.sqrt(3) : ln;
}

/** kvar for kW at a power factor; a negative power factor reverses the reactive sign. */
export function kvarAtPf(kw: number, pf: number): number {
  if (pf === 0) return 0;
  const k = Math.sqrt(1 / (pf * pf) - 1);
  return pf < 0 ? -kw * k : kw * k;
}

/** What every power-conversion element carries: where it connects and its voltage base. */
export interface DerTerminal {
  bus1: BusSpec | undefined;
  phases: number;
  kv: number;
  conn: 'wye' | 'delta';
  /** OpenDSS's VBase starts at 7200 V and follows kV (and conn, phases) when they are set */
  vBaseV: number;
  yearly: string | undefined;
  daily: string | undefined;
  duty: string | undefined;
}

/** A setter after which the element's VBase is recomputed, as OpenDSS does on kV and conn. */
export const withVBase =
  <T extends DerTerminal>(apply: (o: T, v: ValueReader, ctx: EditContext) => void) =>
  (o: T, v: ValueReader, ctx: EditContext) => {
    apply(o, v, ctx);
    o.vBaseV = derVBase(o.kv, o.phases, o.conn);
  };

/** yearly=, daily=, duty=: the shape a time series follows (a snapshot does not use it). */
export const shapeProp = <T extends DerTerminal>(key: 'yearly' | 'daily' | 'duty'): PropertyDef<T> => ({
  name: key,
  set: (o, v) => void (o[key] = v.raw.toLowerCase()),
});

/** like= copies everything but the identity and the bus, as OpenDSS's MakeLike does. */
export function likeWithoutBus<T extends DssObject & DerTerminal>(dst: T, src: T): void {
  const { name, location } = dst;
  Object.assign(dst, { ...src, bus1: undefined }, { name, location });
}
