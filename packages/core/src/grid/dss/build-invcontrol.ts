import {
  DssReferenceError,
  InvalidValueError,
  type SourceLocation,
  UnsupportedFeatureError,
} from '../../errors/index.js';
import {
  type InverterControl,
  type InverterDer,
  type InverterMemory,
  LoadElement,
  type Network,
} from '../model/index.js';
import type { DssCircuitState } from './circuit-state.js';
import type { InvControlObj } from './classes/invcontrol.js';
import { type PVSystemObj, pvInverterOutput } from './classes/pvsystem.js';
import { type XYCurveObj, xyCurveOf } from './classes/xycurve.js';

const where = (o: InvControlObj): SourceLocation => ({ ...o.location, element: `InvControl.${o.name}` });

function refuse(o: InvControlObj, what: string): never {
  throw new UnsupportedFeatureError(`${what} is not supported`, { location: where(o) });
}

/** Everything GridTier does not solve yet is refused here, with the control's file and line. */
function checkSupported(o: InvControlObj, state: DssCircuitState): void {
  if (o.combiMode) refuse(o, `combimode=${o.combiMode}`);
  if (!o.mode) refuse(o, 'an InvControl without mode= (OpenDSS leaves its mode undefined)');
  if (o.mode !== 'voltvar' && o.mode !== 'voltwatt')
    refuse(o, `mode=${o.mode} (supported: voltvar, voltwatt)`);
  // hysteresis follows the voltage's direction between time steps (OpenDSS's second curve)
  const timeSeries =
    state.options.mode === 'daily' || state.options.mode === 'yearly' || state.options.mode === 'duty';
  if (o.hysteresisOffsetPu !== 0 && timeSeries)
    refuse(o, `hysteresis_offset=${o.hysteresisOffsetPu} in mode=${state.options.mode}`);
  if (o.voltageCurveXRef !== 'rated') refuse(o, `voltage_curvex_ref=${o.voltageCurveXRef}`);
  if (o.rateOfChangeMode !== 'inactive') refuse(o, `rateofchangemode=${o.rateOfChangeMode}`);
  if (o.monBus.length > 0) refuse(o, 'monbus');
  if (typeof o.monVoltage === 'number') refuse(o, `monvoltagecalc=${o.monVoltage}`);
  if (o.controlModel !== 0) refuse(o, `controlmodel=${o.controlModel}`);
}

/** The controlled PV systems: the list given, or every PV system and storage unit in the circuit. */
function controlledNames(o: InvControlObj, state: DssCircuitState): string[] {
  if (o.derList.length > 0) return o.derList;
  return [
    ...state.all<PVSystemObj>('PVSystem').map((p) => `pvsystem.${p.name.toLowerCase()}`),
    ...state.all<PVSystemObj>('Storage').map((p) => `storage.${p.name.toLowerCase()}`),
  ];
}

function freshMemory(): InverterMemory {
  // OpenDSS starts the last vars at −1 kvar and the adaptive step at one half
  return {
    presentVpu: 0,
    priorVpu: 0,
    qOldVar: -1,
    deltaQFactor: 0.5,
    deltaVOldPu: -1,
    qOutputPu: 0,
    qDesireEndPu: 0,
    pOldPu: 0,
    pLimitEndPu: 0,
    deltaPFactor: 0.5,
    vwOperates: false,
  };
}

function inverterDer(o: InvControlObj, pv: PVSystemObj, element: LoadElement): InverterDer {
  // modes other than volt-watt take power-factor priority away from the PV system for good, as OpenDSS does
  if (o.mode !== 'voltwatt') pv.pfPriority = false;
  let mult = 1;
  return {
    element,
    vBaseV: pv.phases === 2 || pv.phases === 3 ? (pv.kv * 1000) / Math.sqrt(3) : pv.kv * 1000,
    kvaRating: pv.kva,
    kvarLimit: pv.kvarMax,
    kvarLimitNeg: pv.kvarMaxAbs,
    varFollowInverter: pv.varFollowInverter,
    wattPriority: pv.wattPriority,
    present: () => pvInverterOutput(pv, mult),
    requestKvar: (kvar) => {
      pv.kvarRequested = kvar;
      pv.varMode = 'kvar';
      return pvInverterOutput(pv, mult);
    },
    requestKw: (kw) => {
      pv.vwKwRequested = kw;
      return pvInverterOutput(pv, mult);
    },
    panelKw: () => pv.irradiance * mult * pv.pmppKw,
    setIrradianceMult: (m) => {
      mult = m;
    },
    endTimeStep: () => {
      pv.vwKwRequested = undefined;
    },
    pmppKw: pv.pmppKw,
    puPmpp: pv.pctPmpp / 100,
  };
}

/** An InvControl bound to a built network's PV systems, with its memory from earlier solves. */
export function buildInvControl(
  o: InvControlObj,
  state: DssCircuitState,
  network: Network,
  order: number,
): InverterControl {
  checkSupported(o, state);
  const curveProp = o.mode === 'voltwatt' ? 'voltwatt_curve' : 'vvc_curve1';
  const curveName = o.mode === 'voltwatt' ? o.voltwattCurve : o.vvcCurve;
  const curveObj = curveName ? state.get<XYCurveObj>('XYcurve', curveName) : undefined;
  if (!curveObj || curveObj.npts === 0)
    throw new DssReferenceError(`${curveProp} names no XYcurve with points`, { location: where(o) });
  if (o.mode === 'voltwatt' && curveObj.y.some((y) => Math.abs(y) > 1))
    throw new InvalidValueError(`XYcurve.${curveObj.name} has kW limits beyond ±1 per unit (${curveProp})`, {
      location: where(o),
    });
  const ders: InverterDer[] = [];
  const memory: InverterMemory[] = [];
  for (const name of controlledNames(o, state)) {
    const [cls, objName] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
    if (cls === 'storage') refuse(o, `control of Storage.${objName}`);
    const pv = state.get<PVSystemObj>('PVSystem', objName);
    if (!pv)
      throw new DssReferenceError(`PVSystem.${objName} is not in the circuit`, {
        location: where(o),
      });
    if (!pv.enabled) continue;
    const element = network.elementById.get(name);
    if (!(element instanceof LoadElement))
      throw new DssReferenceError(`PVSystem.${objName} has no element in the network`, {
        location: where(o),
      });
    ders.push(inverterDer(o, pv, element));
    let m = o.memory.get(name);
    if (!m) {
      m = freshMemory();
      o.memory.set(name, m);
    }
    memory.push(m);
  }
  return {
    id: `InvControl.${o.name}`,
    order,
    mode: o.mode as 'voltvar' | 'voltwatt',
    ders,
    memory,
    curve: xyCurveOf(curveObj),
    deltaQFactor: o.deltaQFactor,
    deltaPFactor: o.deltaPFactor,
    voltageChangeTolerancePu: o.voltageChangeTolerancePu,
    varChangeTolerancePu: o.varChangeTolerancePu,
    activePChangeTolerancePu: o.activePChangeTolerancePu,
    voltwattYAxis: o.voltwattYAxis,
    reactivePowerRef: o.reactivePowerRef,
    monVoltage: o.monVoltage as 'avg' | 'max' | 'min',
  };
}
