import type { DssClassDef, DssObject } from './class-def.js';
import { capacitorClass } from './classes/capacitor.js';
import { capControlClass } from './classes/capcontrol.js';
import { cnDataClass } from './classes/cndata.js';
import { energyMeterClass } from './classes/energymeter.js';
import { faultClass } from './classes/fault.js';
import { generatorClass } from './classes/generator.js';
import { growthShapeClass, spectrumClass, tccCurveClass } from './classes/inert.js';
import { invControlClass } from './classes/invcontrol.js';
import { lineClass } from './classes/line.js';
import { lineCodeClass } from './classes/linecode.js';
import { lineGeometryClass } from './classes/linegeometry.js';
import { lineSpacingClass } from './classes/linespacing.js';
import { loadClass } from './classes/load.js';
import { loadShapeClass } from './classes/loadshape.js';
import { monitorClass } from './classes/monitor.js';
import { pvSystemClass } from './classes/pvsystem.js';
import { reactorClass } from './classes/reactor.js';
import { regControlClass } from './classes/regcontrol.js';
import { storageClass } from './classes/storage.js';
import { transformerClass, xfmrCodeClass } from './classes/transformer.js';
import { tsDataClass } from './classes/tsdata.js';
import { vsourceClass } from './classes/vsource.js';
import { wireDataClass } from './classes/wiredata.js';
import { xyCurveClass } from './classes/xycurve.js';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds classes of every object type
export type AnyClassDef = DssClassDef<any>;

/** Every class GridTier reads, keyed by lower-case name. */
export const dssClasses: ReadonlyMap<string, AnyClassDef> = new Map(
  [
    vsourceClass,
    lineCodeClass,
    lineClass,
    transformerClass,
    xfmrCodeClass,
    capacitorClass,
    reactorClass,
    loadClass,
    generatorClass,
    pvSystemClass,
    storageClass,
    faultClass,
    regControlClass,
    capControlClass,
    invControlClass,
    energyMeterClass,
    monitorClass,
    loadShapeClass,
    wireDataClass,
    lineGeometryClass,
    lineSpacingClass,
    cnDataClass,
    tsDataClass,
    spectrumClass,
    tccCurveClass,
    growthShapeClass,
    xyCurveClass,
  ].map((c) => [c.name.toLowerCase(), c as AnyClassDef]),
);

/** OpenDSS classes that exist but that GridTier does not model; named in the error. */
export const knownUnsupportedClasses = [
  'storagecontroller',
  'fuse',
  'recloser',
  'relay',
  'swtcontrol',
  'isource',
  'vccs',
  'expcontrol',
  'gencontroller',
  'upfc',
  'upfccontrol',
  'autotrans',
  'gictransformer',
  'gicline',
  'gicsource',
  'indmach012',
  'windgen',
  'sensor',
  'tshape',
  'priceshape',
  'esscontrol',
  'dynamicexp',
  'esgcontrol',
];

export type ControlMode = 'static' | 'off' | 'event' | 'time';

/** Snapshot, or a time series following the loads' daily, yearly or duty shapes. */
export type SolveMode = 'snapshot' | 'daily' | 'yearly' | 'duty' | 'direct';

/** The solution clock: whole hours and seconds within the hour, the step and the number of steps. */
export interface SolutionClock {
  hour: number;
  sec: number;
  stepSec: number;
  number: number;
}

/** Options the `Set` command changes; only those that shape a snapshot solution. */
export interface SolveOptions {
  defaultBaseFrequency: number;
  /** legal voltage bases, kV line-to-line, in the order given */
  voltageBases: number[];
  controlMode: ControlMode;
  maxControlIter: number;
  maxIterations: number;
  minIterations: number;
  tolerance: number;
  loadMult: number;
  /** Set GenMult: scales every variable generator's kW and kvar */
  genMult: number;
  earthModel: 'deri' | 'carson' | 'fullcarson';
  /** normal and emergency voltage limits, per unit; results report the nodes outside them */
  voltageLimitsPu: { normMin: number; normMax: number; emergMin: number; emergMax: number };
  mode: SolveMode;
  clock: SolutionClock;
}

export function defaultSolveOptions(): SolveOptions {
  return {
    defaultBaseFrequency: 60,
    voltageBases: [0.208, 0.48, 12.47, 24.9, 34.5, 115, 230],
    controlMode: 'static',
    maxControlIter: 10,
    maxIterations: 15,
    minIterations: 2,
    tolerance: 1e-4,
    loadMult: 1,
    genMult: 1,
    earthModel: 'deri',
    voltageLimitsPu: { normMin: 0.95, normMax: 1.05, emergMin: 0.9, emergMax: 1.08 },
    mode: 'snapshot',
    clock: { hour: 0, sec: 0, stepSec: 3600, number: 1 },
  };
}

/**
 * Everything a script has defined so far: objects per class in definition order, options,
 * bus bases and coordinates. A power flow builds its network model from this.
 */
export class DssCircuitState {
  readonly name: string;
  readonly objects = new Map<string, Map<string, DssObject>>();
  readonly options: SolveOptions = defaultSolveOptions();
  /** L-N base kV per lower-case bus, set by CalcVoltageBases */
  readonly busBaseKvLn = new Map<string, number>();
  readonly busCoords = new Map<string, { x: number; y: number }>();
  activeElement: DssObject | undefined;
  /** every object in the order the script created it; buses are numbered in this order */
  readonly created: DssObject[] = [];
  /** increases with every change that can alter the network; a built network is reused while it stays */
  version = 0;
  /**
   * OpenDSS's SolutionInitialized cleared (by Set mode): the next solution starts from the
   * sources alone with every load as its admittance, not from the last solution's voltages
   */
  startAfresh = false;

  /** false while only general objects (codes, shapes) exist, before any New Circuit */
  readonly circuitDefined: boolean;

  constructor(name: string, circuitDefined = true) {
    this.name = name;
    this.circuitDefined = circuitDefined;
    for (const key of dssClasses.keys()) this.objects.set(key, new Map());
  }

  /** Takes over the general objects (codes, shapes, wire data) another state holds. */
  adoptGeneralObjects(from: DssCircuitState): void {
    for (const [key, table] of from.objects) {
      if (!dssClasses.get(key)?.general) continue;
      const mine = this.objects.get(key)!;
      for (const [name, obj] of table) mine.set(name, obj);
    }
  }

  all<T extends DssObject>(className: string): T[] {
    return [...(this.objects.get(className.toLowerCase())?.values() ?? [])] as T[];
  }

  get<T extends DssObject>(className: string, name: string): T | undefined {
    return this.objects.get(className.toLowerCase())?.get(name.toLowerCase()) as T | undefined;
  }
}
