import {
  DssReferenceError,
  GridTierError,
  InvalidValueError,
  type SourceLocation,
  TopologyError,
} from '../../errors/index.js';
import {
  type CapacitorControl,
  CapacitorElement,
  type ConductorSpec,
  type EarthModel,
  FaultElement,
  type InverterControl,
  type LineConstants,
  LineElement,
  LoadElement,
  lineConstants,
  Network,
  type NetworkElement,
  PvGeneratorElement,
  ReactorElement,
  type RegulatorControl,
  type Terminal,
  TransformerElement,
  VsourceElement,
} from '../model/index.js';
import { buildInvControl } from './build-invcontrol.js';
import { type DssCircuitState, dssClasses } from './circuit-state.js';
import type { DssObject } from './class-def.js';
import type { CapacitorObj } from './classes/capacitor.js';
import type { CapControlObj } from './classes/capcontrol.js';
import type { CNDataObj } from './classes/cndata.js';
import { perUnitLengthFactor, toMetres } from './classes/common.js';
import { isInjectionClass, type PowerInjection } from './classes/der.js';
import type { FaultObj } from './classes/fault.js';
import type { InvControlObj } from './classes/invcontrol.js';
import type { LineObj } from './classes/line.js';
import type { LineGeometryObj } from './classes/linegeometry.js';
import type { LoadObj } from './classes/load.js';
import type { ReactorObj } from './classes/reactor.js';
import type { RegControlObj } from './classes/regcontrol.js';
import type { TransformerObj } from './classes/transformer.js';
import type { TSDataObj } from './classes/tsdata.js';
import type { VsourceObj } from './classes/vsource.js';
import type { BusSpec } from './values.js';

const SQRT3 = Math.sqrt(3);

const idOf = (o: DssObject) => `${o.className}.${o.name}`;
const where = (o: DssObject): SourceLocation => ({ ...o.location, element: idOf(o) });

/** Conductor nodes of a terminal: phases default to 1..n, further conductors to ground. */
export function terminalOf(spec: BusSpec, phases: number, conds: number): Terminal {
  const nodes = Array.from({ length: conds }, (_, i) => (i < phases ? i + 1 : 0));
  spec.nodes.slice(0, conds).forEach((n, i) => {
    nodes[i] = n;
  });
  return { bus: spec.bus, nodes };
}

const grounded = (bus: string, conds: number): Terminal => ({ bus, nodes: new Array(conds).fill(0) });

function requireBus(o: DssObject, spec: BusSpec | undefined, what: string): BusSpec {
  if (!spec) throw new InvalidValueError(`${idOf(o)} has no ${what}`, { location: where(o) });
  return spec;
}

/** The sequence impedances of a source in ohms, per OpenDSS's rules for each way of giving them. */
function sourceImpedance(o: VsourceObj): { r1: number; x1: number; r0: number; x0: number } {
  const kv = o.baseKv;
  const factor = o.phases === 1 ? 1 : SQRT3;
  if (o.zSpec === 'shortCircuit') {
    const x1 = (kv * kv) / o.mvaSc3 / Math.sqrt(1 + 1 / (o.x1r1 * o.x1r1));
    const r1 = x1 / o.x1r1;
    const isc1 = (o.mvaSc1 * 1000) / (factor * kv);
    const a = 1 + o.x0r0 * o.x0r0;
    const b = 4 * (r1 + x1 * o.x0r0);
    const c = 4 * (r1 * r1 + x1 * x1) - ((3 * kv * 1000) / factor / isc1) ** 2;
    const r0 = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    return { r1, x1, r0, x0: r0 * o.x0r0 };
  }
  if (o.zSpec === 'perUnit') {
    const zBase = (kv * kv) / o.baseMva;
    const z1 = { r1: o.puZ1[0] * zBase, x1: o.puZ1[1] * zBase };
    return { ...z1, r0: o.puZ0[0] * zBase, x0: o.puZ0[1] * zBase };
  }
  if (o.phases === 1) return { r1: o.r1, x1: o.x1, r0: o.r1, x0: o.x1 };
  return { r1: o.r1, x1: o.x1, r0: o.r0, x0: o.x0 };
}

function buildVsource(o: VsourceObj): VsourceElement {
  const n = o.phases;
  const { r1, x1, r0, x0 } = sourceImpedance(o);
  const zRe = new Float64Array(n * n);
  const zIm = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      zRe[i * n + j] = i === j ? (2 * r1 + r0) / 3 : (r0 - r1) / 3;
      zIm[i * n + j] = i === j ? (2 * x1 + x0) / 3 : (x0 - x1) / 3;
    }
  const vMag = n === 1 ? o.baseKv * o.pu * 1000 : (o.baseKv * o.pu * 1000) / (2 * Math.sin(Math.PI / n));
  const t1 = terminalOf(o.bus1, n, n);
  const t2 = o.bus2 ? terminalOf(o.bus2, n, n) : grounded(o.bus1.bus, n);
  return new VsourceElement({
    id: idOf(o),
    terminals: [t1, t2],
    phases: n,
    vMagV: vMag,
    angleDeg: o.angleDeg,
    sequence: o.sequence,
    zRe,
    zIm,
  });
}

/** Per-metre impedance of a geometry, computed once per geometry, earth model and resistivity. */
const geometryCache = new WeakMap<LineGeometryObj, Map<string, LineConstants>>();

function geometryConstants(state: DssCircuitState, o: LineObj): LineConstants {
  const earth = o.earthModel ?? state.options.earthModel;
  if (o.ownGeometry) return geometryObjectConstants(state, o.ownGeometry, earth, o.rhoOhmM ?? 100);
  return lineGeometryConstants(state, o.geometry!, earth, o.rhoOhmM ?? 100, where(o));
}

/**
 * Per-metre series impedance and shunt susceptance of a LineGeometry, as OpenDSS's line
 * constants give them; cached per geometry, earth model and resistivity.
 */
export function lineGeometryConstants(
  state: DssCircuitState,
  name: string,
  earth: EarthModel,
  rho: number,
  location: SourceLocation = {},
): LineConstants {
  const geom = state.get<LineGeometryObj>('LineGeometry', name);
  if (!geom) throw new DssReferenceError(`LineGeometry.${name} is not defined`, { location });
  return geometryObjectConstants(state, geom, earth, rho);
}

function geometryObjectConstants(
  state: DssCircuitState,
  geom: LineGeometryObj,
  earth: EarthModel,
  rho: number,
): LineConstants {
  const f = state.options.defaultBaseFrequency;
  const key = `${earth}/${rho}/${f}`;
  let byKey = geometryCache.get(geom);
  if (!byKey) {
    byKey = new Map();
    geometryCache.set(geom, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const conductors: ConductorSpec[] = geom.wires.map((w, i) => {
    if (!w)
      throw new InvalidValueError(`LineGeometry.${geom.name}: conductor ${i + 1} has no wire`, {
        location: where(geom),
      });
    if (w.gmrAc <= 0 || w.radius <= 0 || w.rac < 0) {
      throw new InvalidValueError(`WireData.${w.name} needs GMR, radius and resistance`, {
        location: where(w),
      });
    }
    const m = toMetres(geom.units[i] ?? 'm');
    const spec: ConductorSpec = {
      xM: geom.x[i] * m,
      hM: geom.h[i] * m,
      gmrM: w.gmrAc * toMetres(w.gmrUnits),
      radiusM: w.radius * toMetres(w.radUnits),
      capRadiusM: (w.capRadius > 0 ? w.capRadius : w.radius) * toMetres(w.radUnits),
      racOhmPerM: w.rac / toMetres(w.rUnits),
      rdcOhmPerM: w.rdc / toMetres(w.rUnits),
    };
    if (w.className === 'TSData') {
      const ts = w as TSDataObj;
      for (const [what, value] of [
        ['diashield', ts.diaShield],
        ['tapelayer', ts.tapeLayer],
        ['diains', ts.diaIns],
        ['inslayer', ts.insLayer],
      ] as const)
        if (!(value > 0))
          throw new InvalidValueError(`TSData.${ts.name} needs ${what}`, { location: where(ts) });
      if (!(ts.tapeLap < 100))
        throw new InvalidValueError(`TSData.${ts.name} tapelap=${ts.tapeLap}: the overlap is below 100 %`, {
          location: where(ts),
        });
      const r = toMetres(ts.radUnits);
      spec.ts = {
        shieldDiameterM: ts.diaShield * r,
        tapeLayerM: ts.tapeLayer * r,
        tapeLapPct: ts.tapeLap,
        insulationDiameterM: ts.diaIns * r,
        insulationM: ts.insLayer * r,
        epsR: ts.epsR,
      };
    }
    if (w.className === 'CNData') {
      const cn = w as CNDataObj;
      for (const [what, value] of [
        ['diastrand', cn.diaStrand],
        ['rstrand', cn.rStrand],
        ['diacable', cn.diaCable],
        ['diains', cn.diaIns],
        ['inslayer', cn.insLayer],
      ] as const)
        if (!(value > 0))
          throw new InvalidValueError(`CNData.${cn.name} needs ${what}`, { location: where(cn) });
      const r = toMetres(cn.radUnits);
      spec.cn = {
        strands: cn.k,
        strandGmrM: cn.gmrStrand * toMetres(cn.gmrUnits),
        strandOhmPerM: cn.rStrand / toMetres(cn.rUnits),
        strandDiameterM: cn.diaStrand * r,
        cableDiameterM: cn.diaCable * r,
        insulationDiameterM: cn.diaIns * r,
        insulationM: cn.insLayer * r,
        epsR: cn.epsR,
      };
    }
    return spec;
  });
  let lc: LineConstants;
  try {
    lc = lineConstants(conductors, geom.nphases, {
      frequencyHz: f,
      rhoOhmM: rho,
      earth,
      reduce: geom.reduce,
    });
  } catch (e) {
    throw new InvalidValueError(`LineGeometry.${geom.name}: ${(e as Error).message}`, {
      location: where(geom),
      cause: e,
    });
  }
  byKey.set(key, lc);
  return lc;
}

/** A line on a geometry: per-metre constants times its length (units 'none' mean metres here). */
function buildGeometryLine(state: DssCircuitState, o: LineObj): LineElement {
  const lc = geometryConstants(state, o);
  const n = lc.order;
  const lenM = o.length * toMetres(o.lengthUnits);
  return lineElement(
    o,
    n,
    lc.z.re.map((v) => v * lenM),
    lc.z.im.map((v) => v * lenM),
    lc.b.map((v) => v * lenM),
  );
}

/** A line between bus1 and bus2 with its total series impedance and shunt susceptance matrices. */
function lineElement(
  o: LineObj,
  n: number,
  zRe: Float64Array,
  zIm: Float64Array,
  bTotal: Float64Array,
): LineElement {
  const b1 = requireBus(o, o.bus1, 'bus1');
  const b2 = requireBus(o, o.bus2, 'bus2');
  return new LineElement({
    id: idOf(o),
    terminals: [terminalOf(b1, n, n), terminalOf(b2, n, n)],
    phases: n,
    zRe,
    zIm,
    bTotal,
    normAmps: o.normAmps,
    emergAmps: o.emergAmps,
    isSwitch: o.isSwitch,
    openTerminals: [...o.openTerminals].map((t) => t - 1),
  });
}

function buildLine(state: DssCircuitState, o: LineObj, baseFreq: number): LineElement {
  if (o.geometry || o.ownGeometry) return buildGeometryLine(state, o);
  if (o.spacing)
    throw new InvalidValueError(`${idOf(o)}: spacing=${o.spacing.name} has conductors without wires`, {
      location: where(o),
    });
  const n = o.nphases;
  let r = o.r;
  let x = o.x;
  let c = o.c;
  if (o.symmetrical && n === 1) {
    // a single-phase line given by sequence values carries the positive-sequence impedance
    r = Float64Array.of(o.seq.r1);
    x = Float64Array.of(o.seq.x1);
    c = Float64Array.of(o.seq.c1);
  }
  const factor = o.lineCode ? perUnitLengthFactor(o.units, o.lengthUnits) : 1;
  const len = o.length * factor;
  const omega = 2 * Math.PI * baseFreq;
  const cScale = defaultCapacitanceScale(o);
  return lineElement(
    o,
    n,
    r.map((v) => v * len),
    x.map((v) => v * len),
    c.map((v) => omega * v * cScale * 1e-9 * len),
  );
}

/**
 * OpenDSS's default C1/C0 are nF per kft. A line whose sequence impedances were written on it
 * without any capacitance gets those defaults rescaled to its length units (3.4 nF/kft is
 * 11.15 nF/km), so that a user who forgets C still gets a plausible line (Line CalcYPrim).
 */
function defaultCapacitanceScale(o: LineObj): number {
  if (!o.seqOnLine || o.capSpecified || !o.symmetrical) return 1;
  return perUnitLengthFactor('kft', o.lengthUnits);
}

function windingVBase(conn: 'wye' | 'delta', kv: number, phases: number): number {
  return conn === 'wye' && (phases === 2 || phases === 3) ? (kv * 1000) / SQRT3 : kv * 1000;
}

function buildTransformer(o: TransformerObj): TransformerElement {
  const w = o.windings;
  const nc = o.phases + 1;
  const terminals = w.map((wd, i) =>
    terminalOf(requireBus(o, wd.bus, `bus for winding ${i + 1}`), o.phases, nc),
  );
  let deltaDirection: 1 | -1 = 1;
  if (w[0].conn !== w[1].conn) {
    const high = w[0].kv >= w[1].kv ? w[0] : w[1];
    const lead = o.leadsLag === 'lead';
    deltaDirection = high.conn === 'wye' ? (lead ? -1 : 1) : lead ? 1 : -1;
  }
  return new TransformerElement({
    id: idOf(o),
    terminals,
    phases: o.phases,
    windings: w.map((wd) => ({
      conn: wd.conn,
      vBaseV: windingVBase(wd.conn, wd.kv, o.phases),
      tap: wd.tap,
      minTap: wd.minTap,
      maxTap: wd.maxTap,
      numTaps: wd.numTaps,
      rPu: wd.rPu,
      rNeutOhms: wd.rNeutOhms,
      xNeutOhms: wd.xNeutOhms,
    })),
    vaBase: w[0].kva * 1000,
    xscPu: o.xsc,
    pctNoLoadLoss: o.pctNoLoadLoss,
    pctImag: o.pctImag,
    ppmAntiFloat: o.ppmAntiFloat,
    deltaDirection,
    normAmps: (o.normHkva * 1000) / o.phases / (windingVBase(w[0].conn, w[0].kv, o.phases) || 1),
  });
}

function phaseKv(conn: 'wye' | 'delta', kv: number, phases: number): number {
  if (conn === 'delta') return kv;
  return phases === 2 || phases === 3 ? kv / SQRT3 : kv;
}

function shuntTerminals(
  o: { bus1?: BusSpec; bus2?: BusSpec } & DssObject,
  phases: number,
  conn: 'wye' | 'delta',
) {
  const b1 = requireBus(o, o.bus1, 'bus1');
  const t1 = terminalOf(b1, phases, phases);
  if (conn === 'delta') return [t1];
  return [t1, o.bus2 ? terminalOf(o.bus2, phases, phases) : grounded(b1.bus, phases)];
}

function buildCapacitor(o: CapacitorObj, baseFreq: number): CapacitorElement {
  const n = o.phases;
  const omega = 2 * Math.PI * baseFreq;
  const kvPh = phaseKv(o.conn, o.kv, n);
  // OpenDSS sizes every step from the first step's kvar
  const cStep = o.kvar[0] / n / (omega * kvPh * kvPh * 1000);
  const susceptance = Array.from({ length: o.numSteps }, (_, i) =>
    o.spec === 'cuf' && o.cuf ? omega * o.cuf[i] * 1e-6 : omega * cStep,
  );
  return new CapacitorElement({
    id: idOf(o),
    terminals: shuntTerminals(o, n, o.conn),
    phases: n,
    conn: o.conn,
    stepSusceptance: susceptance,
    stepROhms: o.rOhms,
    stepXOhms: o.xlOhms,
    states: o.states,
  });
}

function buildReactor(o: ReactorObj): ReactorElement {
  const n = o.phases;
  let x = o.xOhms;
  if (o.spec === 'kvar') {
    const kvPh = phaseKv(o.conn, o.kv, n);
    x = (kvPh * kvPh * 1000) / (o.kvar / n);
  }
  if (o.rOhms === 0 && x === 0) {
    throw new InvalidValueError(`${idOf(o)}: r and x are both zero; a reactor needs an impedance`, {
      location: where(o),
    });
  }
  return new ReactorElement({
    id: idOf(o),
    terminals: shuntTerminals(o, n, o.conn),
    phases: n,
    conn: o.conn,
    rOhms: o.rOhms,
    xOhms: x,
    rpOhms: o.rpOhms ?? 0,
  });
}

function buildLoad(o: LoadObj, loadMult: number): LoadElement {
  const n = o.phases;
  const conds = o.conn === 'delta' && n >= 3 ? n : n + 1;
  const factor = o.status === 'variable' ? loadMult : 1;
  if (!Number.isFinite(o.kw) || !Number.isFinite(o.kvar)) {
    throw new InvalidValueError(`${idOf(o)}: kW and kvar must be finite numbers`, { location: where(o) });
  }
  return new LoadElement({
    id: idOf(o),
    terminal: terminalOf(requireBus(o, o.bus1, 'bus1'), n, conds),
    phases: n,
    conn: o.conn,
    model: o.model,
    vBaseV: o.vBase,
    pNomW: (o.kw * 1000 * factor) / n,
    qNomVar: (o.kvar * 1000 * factor) / n,
    vMinPu: o.vMinPu,
    vMaxPu: o.vMaxPu,
    vLowPu: o.vLowPu,
    cvrWatts: o.cvrWatts,
    cvrVars: o.cvrVars,
    rNeutOhms: o.rNeutOhms,
    xNeutOhms: o.xNeutOhms,
  });
}

/**
 * A generator or inverter enters as a load drawing the negative of its output: the same
 * voltage-dependent current and the same (negated) Yeq in the matrix as OpenDSS's element, and
 * no blending below Vminpu (straight to constant impedance).
 */
function injectionElement(id: string, inj: PowerInjection): LoadElement | PvGeneratorElement {
  const n = inj.phases;
  if (!Number.isFinite(inj.pKw) || !Number.isFinite(inj.qKvar))
    throw new InvalidValueError(`${id}: kW and kvar must be finite numbers`);
  const reg = inj.voltageRegulation;
  if (reg)
    return new PvGeneratorElement({
      id,
      terminal: terminalOf(inj.bus1, n, inj.conn === 'delta' && n >= 3 ? n : n + 1),
      phases: n,
      conn: inj.conn,
      vBaseV: inj.vBaseV,
      pNomW: (inj.pKw * 1000) / n,
      qStartVar: reg.qStartVar,
      qKvarVar: reg.qKvarVar,
      qAtBuildVar: reg.qAtBuildVar,
      qMaxVar: reg.qMaxVar,
      qMinVar: reg.qMinVar,
      vPu: reg.vPu,
      vTargetV: reg.vTargetV,
      pvFactor: reg.pvFactor,
      dqdv: reg.dqdv,
    });
  return new LoadElement({
    id,
    terminal: terminalOf(inj.bus1, n, inj.conn === 'delta' && n >= 3 ? n : n + 1),
    phases: n,
    conn: inj.conn,
    model: inj.model === 'constantPQ' ? 1 : 2,
    vBaseV: inj.vBaseV,
    pNomW: (-inj.pKw * 1000) / n,
    qNomVar: (-inj.qKvar * 1000) / n,
    vMinPu: inj.vMinPu,
    vMaxPu: inj.vMaxPu,
    vLowPu: 0,
    cvrWatts: 1,
    cvrVars: 2,
    rNeutOhms: -1,
    xNeutOhms: 0,
  });
}

/** The network node a RegControl's bus= names (node 1 unless given); OpenDSS would invent a lone bus. */
function regulatedNode(o: RegControlObj, bus: BusSpec, network: Network): number {
  const b = network.busIndex.get(bus.bus);
  const node = bus.nodes[0] ?? 1;
  const idx = b === undefined ? undefined : network.busNodes[b].find((i) => network.nodes[i].node === node);
  if (idx === undefined)
    throw new DssReferenceError(`${idOf(o)}: bus=${bus.bus}.${node} is not a node of the circuit`, {
      location: where(o),
    });
  return idx;
}

function buildRegulator(
  o: RegControlObj,
  byId: Map<string, NetworkElement>,
  order: number,
  network: Network,
): RegulatorControl {
  if (!o.transformer) throw new InvalidValueError(`${idOf(o)} names no transformer`, { location: where(o) });
  const t = byId.get(`transformer.${o.transformer}`);
  if (!(t instanceof TransformerElement)) {
    throw new DssReferenceError(`${idOf(o)}: Transformer.${o.transformer} is not in the circuit`, {
      location: where(o),
    });
  }
  if (o.winding > t.windings.length || o.tapWinding > t.windings.length) {
    throw new InvalidValueError(`${idOf(o)}: winding ${o.winding} does not exist on ${t.id}`, {
      location: where(o),
    });
  }
  if (o.tapNum !== undefined) {
    const w = t.windings[o.tapWinding - 1];
    t.setTap(o.tapWinding - 1, o.tapNum * t.tapIncrement(o.tapWinding - 1) + (w.maxTap + w.minTap) / 2);
  }
  const ptPhase = typeof o.ptPhase === 'number' ? (o.ptPhase > t.phases ? 0 : o.ptPhase - 1) : o.ptPhase;
  return {
    id: idOf(o),
    order,
    transformer: t,
    winding: o.winding - 1,
    tapWinding: o.tapWinding - 1,
    vreg: o.vreg,
    bandV: o.band,
    ptRatio: o.ptRatio,
    ctPrimAmps: o.ctPrimAmps,
    rVolts: o.rVolts,
    xVolts: o.xVolts,
    delaySec: o.delaySec,
    tapDelaySec: o.tapDelaySec,
    maxTapChange: o.maxTapChange,
    ptPhase,
    vLimit: o.vLimit,
    ldcZ: o.ldcZ,
    sensedNode: o.bus ? regulatedNode(o, o.bus, network) : undefined,
  };
}

/**
 * OpenDSS's Capacitor Ftotalkvar: the steps' kvar ratings, or for a bank given in µF its formula
 * ω·C·kV²/1000 per step (C in farads, kV per phase), whose units make it a millionth of the
 * bank's kvar; GridTier follows it, since it only sets where type=pf may close the bank.
 */
function capacitorTotalKvar(cap: CapacitorObj, baseFreqHz: number): number {
  if (cap.spec === 'kvar' || !cap.cuf) return cap.kvar.reduce((a, b) => a + b, 0);
  const phaseKv = cap.conn === 'delta' || (cap.phases !== 2 && cap.phases !== 3) ? cap.kv : cap.kv / SQRT3;
  const w = 2 * Math.PI * baseFreqHz;
  return cap.cuf.reduce((a, c) => a + (w * c * 1e-6 * phaseKv * phaseKv) / 1000, 0);
}

function buildCapControl(
  o: CapControlObj,
  byId: Map<string, NetworkElement>,
  order: number,
  state: DssCircuitState,
): CapacitorControl {
  const cap = o.capacitor ? byId.get(`capacitor.${o.capacitor}`) : undefined;
  if (!(cap instanceof CapacitorElement)) {
    throw new DssReferenceError(`${idOf(o)}: capacitor ${o.capacitor ?? '(none)'} is not in the circuit`, {
      location: where(o),
    });
  }
  if (!o.element || !byId.has(o.element)) {
    throw new DssReferenceError(
      `${idOf(o)}: monitored element ${o.element ?? '(none)'} is not in the circuit`,
      {
        location: where(o),
      },
    );
  }
  const phase = (p: number | 'avg' | 'max' | 'min') => (typeof p === 'number' ? p - 1 : p);
  const capObj = state.get<CapacitorObj>('Capacitor', o.capacitor!);
  const totalKvar = capObj ? capacitorTotalKvar(capObj, state.options.defaultBaseFrequency) : 0;
  return {
    id: idOf(o),
    order,
    capacitor: cap,
    elementId: o.element,
    terminal: o.terminal - 1,
    type: o.type,
    ptRatio: o.ptRatio,
    ctRatio: o.ctRatio,
    onSetting: o.onSetting,
    offSetting: o.offSetting,
    delaySec: o.delaySec,
    delayOffSec: o.delayOffSec,
    deadTimeSec: o.deadTimeSec,
    initialLastOpenSec: o.initialLastOpenSec,
    pfCloseMinKvar: (totalKvar * o.pctMinKvar) / 100,
    pfStepMinKvar: (totalKvar / cap.steps) * 0.5,
    voltOverride: o.voltOverride,
    vMax: o.vMax,
    vMin: o.vMin,
    ptPhase: phase(o.ptPhase),
    ctPhase: phase(o.ctPhase),
  };
}

/**
 * Turns what a script defined into the network the power flow solves. Elements enter in
 * creation order, so buses and nodes are numbered as OpenDSS numbers them.
 */
export function buildNetwork(state: DssCircuitState): Network {
  const f = state.options.defaultBaseFrequency;
  const elements: NetworkElement[] = [];
  const openEnds = new Set<string>();
  for (const o of state.created) {
    const def = dssClasses.get(o.className.toLowerCase())!;
    const injects = isInjectionClass(def);
    const electrical =
      injects ||
      ['Vsource', 'Line', 'Transformer', 'Capacitor', 'Reactor', 'Load', 'Fault'].includes(o.className);
    if (!electrical) continue;
    if (!o.enabled) {
      for (const b of busesOf(o)) openEnds.add(b);
      continue;
    }
    located(o, () => {
      switch (o.className) {
        case 'Vsource':
          elements.push(buildVsource(o as VsourceObj));
          break;
        case 'Line': {
          const line = o as LineObj;
          const el = buildLine(state, line, f);
          for (const t of el.openTerminals) openEnds.add(el.terminals[t].bus);
          elements.push(el);
          break;
        }
        case 'Transformer':
          elements.push(buildTransformer(o as TransformerObj));
          break;
        case 'Capacitor':
          elements.push(buildCapacitor(o as CapacitorObj, f));
          break;
        case 'Reactor':
          elements.push(buildReactor(o as ReactorObj));
          break;
        case 'Load':
          elements.push(buildLoad(o as LoadObj, state.options.loadMult));
          break;
        case 'Fault': {
          const fault = o as FaultObj;
          const n = fault.phases;
          const b1 = requireBus(fault, fault.bus1, 'bus1');
          const t2 = fault.bus2 ? terminalOf(fault.bus2, n, n) : grounded(b1.bus, n);
          elements.push(new FaultElement(idOf(fault), [terminalOf(b1, n, n), t2], n, fault.rOhms));
          break;
        }
        default:
          if (injects) {
            const inj = def.injection(o, state);
            if (!inj) throw new InvalidValueError(`${idOf(o)} has no bus1`, { location: where(o) });
            elements.push(injectionElement(idOf(o), inj));
          }
      }
    });
  }
  let network: Network;
  try {
    network = new Network({ elements, busBaseKvLn: state.busBaseKvLn, openEnds });
  } catch (e) {
    // name the script line that brought the unreachable bus in
    const bus = e instanceof TopologyError ? (e.details.bus as string | undefined) : undefined;
    const culprit = bus ? state.created.find((o) => busesOf(o).includes(bus)) : undefined;
    if (!culprit) throw e;
    throw new TopologyError(`bus "${bus}" is not connected to any source (it is used by ${idOf(culprit)})`, {
      location: where(culprit),
      details: { bus },
      cause: e,
    });
  }
  network.setControls(buildControls(state, network));
  return network;
}

/** Runs an element's build, naming its script file and line in any error that lacks them. */
function located<T>(o: DssObject, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof GridTierError && e.location?.file === undefined) {
      const Ctor = e.constructor as new (m: string, o: object) => GridTierError;
      throw new Ctor(e.message.replace(/^[^:]*: /, ''), { location: where(o), details: e.details, cause: e });
    }
    throw e;
  }
}

/**
 * The regulator and capacitor controls of a script, bound to a built network's elements.
 * Cheap, so they are rebuilt at every solve; editing a control does not rebuild the network.
 */
export function buildControls(
  state: DssCircuitState,
  network: Network,
): { regulators: RegulatorControl[]; capControls: CapacitorControl[]; invControls: InverterControl[] } {
  const byId = network.elementById;
  const regulators: RegulatorControl[] = [];
  const capControls: CapacitorControl[] = [];
  const invControls: InverterControl[] = [];
  state.created.forEach((o, order) => {
    if (!o.enabled) return;
    if (o.className === 'RegControl')
      regulators.push(buildRegulator(o as RegControlObj, byId, order, network));
    if (o.className === 'CapControl')
      capControls.push(buildCapControl(o as CapControlObj, byId, order, state));
    if (o.className === 'InvControl')
      invControls.push(buildInvControl(o as InvControlObj, state, network, order));
  });
  return { regulators, capControls, invControls };
}

function busesOf(o: DssObject): string[] {
  const rec = o as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const k of ['bus1', 'bus2']) {
    const b = rec[k] as BusSpec | undefined;
    if (b) out.push(b.bus);
  }

  const windings = rec.windings as { bus?: BusSpec }[] | undefined;
  for (const w of windings ?? []) if (w.bus) out.push(w.bus.bus);
  return out;
}
