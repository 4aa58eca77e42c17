import type { CapacitorElement } from './shunt.js';
import type { TransformerElement } from './transformer.js';

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
  voltOverride: boolean;
  vMax: number;
  vMin: number;
  ptPhase: number | 'avg' | 'max' | 'min';
  ctPhase: number | 'avg' | 'max' | 'min';
}
