import type { LoadElement } from './load.js';
import type { CapacitorElement } from './shunt.js';
import type { TransformerElement } from './transformer.js';
import type { XyCurve } from './xy-curve.js';

/** A tap-changer control on one winding of a transformer (OpenDSS RegControl semantics). */
export interface RegulatorControl {
  id: string;
  /** position among all controls in definition order; ties in the control queue follow it */
  order: number;
  transformer: TransformerElement;
  /** monitored winding, 0-based */
  winding: number;
  /** winding whose tap moves, 0-based */
  tapWinding: number;
  vreg: number;
  bandV: number;
  ptRatio: number;
  ctPrimAmps: number;
  rVolts: number;
  xVolts: number;
  delaySec: number;
  /** delay between the taps of one change in time-driven control */
  tapDelaySec: number;
  maxTapChange: number;
  /** 0-based phase, or 'max'/'min' */
  ptPhase: number | 'max' | 'min';
  vLimit: number;
  ldcZ: number;
  /** node whose voltage to ground is sensed instead of the winding (RegControl bus=); no LDC then */
  sensedNode?: number;
}

/** A switched-capacitor control (OpenDSS CapControl semantics). */
export interface CapacitorControl {
  id: string;
  order: number;
  capacitor: CapacitorElement;
  /** id of the monitored element, "Line.name" */
  elementId: string;
  /** monitored terminal, 0-based */
  terminal: number;
  type: 'current' | 'voltage' | 'kvar' | 'time' | 'pf';
  ptRatio: number;
  ctRatio: number;
  onSetting: number;
  offSetting: number;
  delaySec: number;
  delayOffSec: number;
  deadTimeSec: number;
  /**
   * When the capacitor last opened as far as the control knows at the start, seconds: OpenDSS
   * starts every CapControl at minus its default dead time (300 s), and reset=yes at minus the
   * dead time in force, so a first close may wait out part of a longer dead time
   */
  initialLastOpenSec: number;
  /**
   * type=pf: an open bank closes only while the vars through the monitored terminal exceed this
   * (its total kvar times pctMinkvar), a closed one adds a step only above half a step's kvar
   */
  pfCloseMinKvar: number;
  pfStepMinKvar: number;
  voltOverride: boolean;
  vMax: number;
  vMin: number;
  ptPhase: number | 'avg' | 'max' | 'min';
  ctPhase: number | 'avg' | 'max' | 'min';
}

/** What a smart inverter gives at one request: kW and kvar out, and the limits OpenDSS reports to its control. */
export interface InverterOutput {
  kw: number;
  kvar: number;
  inverterOn: boolean;
  /** kvar limits in force now (zero where the power is below %PminNoVars) */
  currentKvarLimit: number;
  currentKvarLimitNeg: number;
}

/** One PV system under an inverter control. */
export interface InverterDer {
  element: LoadElement;
  /** OpenDSS's VBase of the PV system: line-to-neutral volts for 2 and 3 phases, kV×1000 otherwise */
  vBaseV: number;
  kvaRating: number;
  kvarLimit: number;
  kvarLimitNeg: number;
  varFollowInverter: boolean;
  wattPriority: boolean;
  /** the inverter's output as it stands */
  present(): InverterOutput;
  /** asks for kvar (the inverter in kvar mode) and returns what it gives within its limits */
  requestKvar(kvar: number): InverterOutput;
  /** caps the inverter's kW (OpenDSS's volt-watt mode) and returns what it gives */
  requestKw(kw: number): InverterOutput;
  /** the panel's DC kW now, its rating Pmpp and %Pmpp as a fraction */
  panelKw(): number;
  /** a time step's irradiance multiplier (its shape's value; 1 in a snapshot) */
  setIrradianceMult(mult: number): void;
  /** OpenDSS's end of a time step: the PV system leaves volt-watt mode (its kW cap lapses) */
  endTimeStep(): void;
  pmppKw: number;
  puPmpp: number;
}

/**
 * What an inverter control remembers of one PV system between control iterations and between
 * solves (OpenDSS keeps it in the InvControl object): the voltages seen, the vars it last set
 * and its adaptive step.
 */
export interface InverterMemory {
  presentVpu: number;
  priorVpu: number;
  qOldVar: number;
  deltaQFactor: number;
  deltaVOldPu: number;
  qOutputPu: number;
  qDesireEndPu: number;
  /** volt-watt: the last kW limit per unit of the base, the limit aimed at, the adaptive step */
  pOldPu: number;
  pLimitEndPu: number;
  deltaPFactor: number;
  /** volt-watt has limited the power in this solve (or an earlier one) */
  vwOperates: boolean;
}

/** OpenDSS's InvControl in volt-var or volt-watt mode over its PV systems. */
export interface InverterControl {
  id: string;
  order: number;
  mode: 'voltvar' | 'voltwatt';
  ders: InverterDer[];
  memory: InverterMemory[];
  /** volt-var: pu voltage → kvar in per unit of the headroom; volt-watt: pu voltage → kW limit per unit of the base */
  curve: XyCurve;
  /** a fixed fraction of the var (kW) step per iteration, or −1 for OpenDSS's adaptive one */
  deltaQFactor: number;
  deltaPFactor: number;
  voltageChangeTolerancePu: number;
  varChangeTolerancePu: number;
  activePChangeTolerancePu: number;
  /** volt-watt's base: available panel power, Pmpp, %Pmpp of Pmpp, or the kVA rating */
  voltwattYAxis: 'pavailablepu' | 'pmpppu' | 'pctpmpppu' | 'kvaratingpu';
  /** headroom: the vars available beside the present kW (VARAVAL) or kvarMax (VARMAX) */
  reactivePowerRef: 'varaval' | 'varmax';
  /** how several phases make one monitored voltage */
  monVoltage: 'avg' | 'max' | 'min';
}
