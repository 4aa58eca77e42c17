import { LoadElement, type Network, PvGeneratorElement, type TransformerElement } from '../model/index.js';
import type { SnapshotSolver, SnapshotStats } from './snapshot.js';
import { elementCurrents } from './snapshot-state.js';

export interface NodeVoltage {
  bus: string;
  /** OpenDSS node number */
  phase: number;
  vmagV: number;
  /** on the bus's line-to-neutral base; 0 where the bus has no base */
  vmagPu: number;
  angleDeg: number;
}

export interface PhasePower {
  phase: number;
  kw: number;
  kvar: number;
}

/** A solved snapshot in the shape the CLI, validation and the markets read. */
export interface PowerFlowResult extends SnapshotStats {
  voltages: NodeVoltage[];
  lossesKw: number;
  lossesKvar: number;
  /** power delivered by each source into the circuit, per phase */
  substation: PhasePower[];
  /** tap position per regulator control, keyed by the control's name */
  taps: Record<string, number>;
  /** tap ratio (pu) per regulator control */
  tapRatios: Record<string, number>;
  /** step states per capacitor, keyed by the capacitor's name */
  capacitors: Record<string, number[]>;
  deenergizedBuses: string[];
  /** nodes with a voltage base outside the script's normal / emergency limits (Set NormVminpu …) */
  outsideLimits?: { normal: number; emergency: number; limitsPu: VoltageLimitsPu };
}

export interface VoltageLimitsPu {
  normMin: number;
  normMax: number;
  emergMin: number;
  emergMax: number;
}

/** Counts the nodes outside the normal and emergency bands, as OpenDSS's voltage exceptions do. */
export function countOutsideLimits(voltages: NodeVoltage[], limitsPu: VoltageLimitsPu) {
  let normal = 0;
  let emergency = 0;
  for (const v of voltages) {
    if (v.vmagPu <= 0) continue;
    if (v.vmagPu < limitsPu.normMin || v.vmagPu > limitsPu.normMax) normal++;
    if (v.vmagPu < limitsPu.emergMin || v.vmagPu > limitsPu.emergMax) emergency++;
  }
  return { normal, emergency, limitsPu: { ...limitsPu } };
}

/** Voltages at, and currents into, every conductor of an element (volts, amperes). */
export function elementVI(solver: SnapshotSolver, e: number) {
  const map = solver.network.conductorNodes[e];
  const n = map.length;
  const vr = new Float64Array(n);
  const vi = new Float64Array(n);
  solver.voltages.gather(e, vr, vi);
  const ir = new Float64Array(n);
  const ii = new Float64Array(n);
  const el = solver.network.elements[e];
  if (el instanceof LoadElement || el instanceof PvGeneratorElement) el.terminalCurrents(vr, vi, ir, ii);
  else {
    const y = solver.y.yprims[e];
    elementCurrents(y.re, y.im, vr, vi, ir, ii);
    if (el.kind === 'vsource') {
      const inj = new Float64Array(n);
      const injI = new Float64Array(n);
      (el as unknown as { injection(a: Float64Array, b: Float64Array): void }).injection(inj, injI);
      for (let k = 0; k < n; k++) {
        ir[k] -= inj[k];
        ii[k] -= injI[k];
      }
    }
  }
  return { vr, vi, ir, ii };
}

/** Complex power into each element conductor, S = V·conj(I), W and var, and its sum over the element. */
export function elementPower(
  solver: SnapshotSolver,
  e: number,
): { re: number; im: number; perCond: { re: number; im: number }[] } {
  const { vr, vi, ir, ii } = elementVI(solver, e);
  const n = vr.length;
  let re = 0;
  let im = 0;
  const perCond = [];
  for (let k = 0; k < n; k++) {
    const p = vr[k] * ir[k] + vi[k] * ii[k];
    const q = vi[k] * ir[k] - vr[k] * ii[k];
    perCond.push({ re: p, im: q });
    re += p;
    im += q;
  }
  return { re, im, perCond };
}

/** "RegControl.reg1" → "reg1" */
const nameOf = (id: string): string => id.slice(id.indexOf('.') + 1);

export function summarize(solver: SnapshotSolver, stats: SnapshotStats): PowerFlowResult {
  const net: Network = solver.network;
  const { re, im } = solver.voltages;
  const voltages: NodeVoltage[] = [];
  net.buses.forEach((bus, b) => {
    const nodes = [...net.busNodes[b]].sort((x, y) => net.nodes[x].node - net.nodes[y].node);
    for (const i of nodes) {
      const vmag = Math.hypot(re[i], im[i]);
      const base = net.nodeBaseV[i];
      voltages.push({
        bus,
        phase: net.nodes[i].node,
        vmagV: vmag,
        vmagPu: base > 0 ? vmag / base : 0,
        angleDeg: (Math.atan2(im[i], re[i]) * 180) / Math.PI,
      });
    }
  });
  let lossW = 0;
  let lossVar = 0;
  const substation: PhasePower[] = [];
  net.elements.forEach((el, e) => {
    if (el.kind === 'line' || el.kind === 'transformer' || (el.kind === 'reactor' && el.isSeries)) {
      const s = elementPower(solver, e);
      lossW += s.re;
      lossVar += s.im;
    } else if (el.kind === 'vsource') {
      const s = elementPower(solver, e);
      for (let k = 0; k < el.condsPerTerminal; k++) {
        const prev = substation[k] ?? { phase: k + 1, kw: 0, kvar: 0 };
        prev.kw -= s.perCond[k].re / 1000;
        prev.kvar -= s.perCond[k].im / 1000;
        substation[k] = prev;
      }
    }
  });
  const taps: Record<string, number> = {};
  const tapRatios: Record<string, number> = {};
  for (const r of net.regulators) {
    const t: TransformerElement = r.transformer;
    taps[nameOf(r.id)] = t.tapPosition(r.tapWinding);
    tapRatios[nameOf(r.id)] = t.windings[r.tapWinding].tap;
  }
  const capacitors: Record<string, number[]> = {};
  for (const el of net.elements)
    if (el.kind === 'capacitor')
      capacitors[nameOf(el.id)] = [...(el as unknown as { states: number[] }).states];
  return {
    ...stats,
    voltages,
    lossesKw: lossW / 1000,
    lossesKvar: lossVar / 1000,
    substation,
    taps,
    tapRatios,
    capacitors,
    deenergizedBuses: net.deenergizedBuses,
  };
}
