import { gmres } from '../../linalg/index.js';
import { LoadElement, type Network } from '../model/index.js';
import { elementCurrents, type SnapshotSolver } from '../powerflow/index.js';

/** How one series element's flow at one conductor changes, per kW (or kvar) injected. */
export interface BranchFlowSensitivity {
  element: string;
  /** 0-based terminal */
  terminal: number;
  /** bus node number of the conductor */
  phase: number;
  bus: string;
  dPKw: number;
  dQKvar: number;
  /** change of the conductor current magnitude, amperes */
  dIAmps: number;
}

/** The linear response of a solved network to 1 kW or 1 kvar injected at one node. */
export interface InjectionResponse {
  node: number;
  kind: 'p' | 'q';
  /** complex node-voltage change, volts */
  dVRe: Float64Array;
  dVIm: Float64Array;
  /** change of each node's voltage magnitude, per unit of its base (0 where none) */
  dVmagPu: Float64Array;
  /** flow changes into each series element's terminals, every conductor */
  branches: BranchFlowSensitivity[];
  dLossesKw: number;
  dLossesKvar: number;
  gmresIterations: number;
}

/**
 * The power flow linearized around a solved state, controls held where they are. For an
 * injection ΔS at node k the voltages move by ΔV solving
 *   Y ΔV − Σ ∂inj(V)·ΔV = ΔI,   ΔI = conj(ΔS / V_k),
 * where inj are the loads' compensation currents of the fixed-point iteration. Loads with
 * constant power differentiate through conj(V), so the system is only real-linear; it is
 * solved by GMRES on the preconditioned form (I − Y⁻¹J)ΔV = Y⁻¹ΔI, reusing the power flow's
 * LDLᵀ factorization of Y. Flows and losses follow from ΔV through the element primitives.
 */
export class Linearization {
  readonly network: Network;
  private readonly n: number;
  private readonly loads: { el: LoadElement; nodes: Int32Array }[] = [];
  private readonly tmp: { re: Float64Array; im: Float64Array; ore: Float64Array; oim: Float64Array };

  constructor(readonly solver: SnapshotSolver) {
    this.network = solver.network;
    this.n = this.network.nodes.length;
    this.network.elements.forEach((el, e) => {
      if (el instanceof LoadElement) this.loads.push({ el, nodes: this.network.conductorNodes[e] });
    });
    const mk = () => new Float64Array(this.n);
    this.tmp = { re: mk(), im: mk(), ore: mk(), oim: mk() };
  }

  /** J·dV: derivative of all compensation and power injections along dV. */
  private jacobian(dvRe: Float64Array, dvIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { re, im } = this.solver.voltages;
    outRe.fill(0);
    outIm.fill(0);
    for (const l of this.loads) l.el.injectionDerivative(re, im, dvRe, dvIm, l.nodes, outRe, outIm);
    for (const x of this.solver.injections) {
      const k = x.node;
      // d conj(S/V) = −conj(S)/conj(V)² · conj(dV)
      const cr = x.pW;
      const ci = -x.qVar;
      const wr = re[k];
      const wi = -im[k];
      const w2r = wr * wr - wi * wi;
      const w2i = 2 * wr * wi;
      const den = w2r * w2r + w2i * w2i;
      const ar = -(cr * w2r + ci * w2i) / den;
      const ai = -(ci * w2r - cr * w2i) / den;
      outRe[k] += ar * dvRe[k] + ai * dvIm[k];
      outIm[k] += ai * dvRe[k] - ar * dvIm[k];
    }
  }

  /** Voltage, flow and loss changes for 1 kW ('p') or 1 kvar ('q') delivered into node k. */
  responseTo(node: number, kind: 'p' | 'q'): InjectionResponse {
    const n = this.n;
    const { re, im } = this.solver.voltages;
    const y = this.solver.y;
    const { re: tr, im: ti, ore, oim } = this.tmp;
    const vr = re[node];
    const vi = im[node];
    const d = vr * vr + vi * vi;
    // ΔI = conj(ΔS/V): 1 kW → 1000·V/|V|², 1 kvar → −j·1000·V/|V|²
    const iRe = new Float64Array(n);
    const iIm = new Float64Array(n);
    if (kind === 'p') {
      iRe[node] = (1000 * vr) / d;
      iIm[node] = (1000 * vi) / d;
    } else {
      iRe[node] = (1000 * vi) / d;
      iIm[node] = (-1000 * vr) / d;
    }
    const b = new Float64Array(2 * n);
    y.solve(iRe, iIm, ore, oim);
    b.set(ore, 0);
    b.set(oim, n);
    const apply = (x: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) {
        tr[i] = x[i];
        ti[i] = x[n + i];
      }
      this.jacobian(tr, ti, ore, oim);
      y.solve(ore, oim, ore, oim);
      for (let i = 0; i < n; i++) {
        out[i] = x[i] - ore[i];
        out[n + i] = x[n + i] - oim[i];
      }
    };
    const sol = gmres(apply, b, { tolerance: 1e-11, restart: 80, maxIterations: 2000 });
    const dVRe = sol.x.slice(0, n);
    const dVIm = sol.x.slice(n);
    const dVmagPu = new Float64Array(n);
    const base = this.network.nodeBaseV;
    for (let i = 0; i < n; i++) {
      const m = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
      if (m > 0 && base[i] > 0) dVmagPu[i] = (re[i] * dVRe[i] + im[i] * dVIm[i]) / m / base[i];
    }
    const { branches, dLossesKw, dLossesKvar } = this.flows(dVRe, dVIm);
    return {
      node,
      kind,
      dVRe,
      dVIm,
      dVmagPu,
      branches,
      dLossesKw,
      dLossesKvar,
      gmresIterations: sol.iterations,
    };
  }

  private flows(dVRe: Float64Array, dVIm: Float64Array) {
    const net = this.network;
    const { re, im } = this.solver.voltages;
    const branches: BranchFlowSensitivity[] = [];
    let lossW = 0;
    let lossVar = 0;
    net.elements.forEach((el, e) => {
      if (!el.isSeries) return;
      const map = net.conductorNodes[e];
      const m = map.length;
      const v = { re: new Float64Array(m), im: new Float64Array(m) };
      const dv = { re: new Float64Array(m), im: new Float64Array(m) };
      for (let k = 0; k < m; k++) {
        const i = map[k];
        if (i < 0) continue;
        v.re[k] = re[i];
        v.im[k] = im[i];
        dv.re[k] = dVRe[i];
        dv.im[k] = dVIm[i];
      }
      const yp = this.solver.y.yprims[e];
      const cur = { re: new Float64Array(m), im: new Float64Array(m) };
      const dcur = { re: new Float64Array(m), im: new Float64Array(m) };
      elementCurrents(yp.re, yp.im, v.re, v.im, cur.re, cur.im);
      elementCurrents(yp.re, yp.im, dv.re, dv.im, dcur.re, dcur.im);
      for (let k = 0; k < m; k++) {
        // dS = dV·conj(I) + V·conj(dI)
        const dp = dv.re[k] * cur.re[k] + dv.im[k] * cur.im[k] + v.re[k] * dcur.re[k] + v.im[k] * dcur.im[k];
        const dq = dv.im[k] * cur.re[k] - dv.re[k] * cur.im[k] + v.im[k] * dcur.re[k] - v.re[k] * dcur.im[k];
        lossW += dp;
        lossVar += dq;
        const node = map[k];
        if (node < 0) continue;
        const iMag = Math.hypot(cur.re[k], cur.im[k]);
        branches.push({
          element: el.id,
          terminal: Math.floor(k / el.condsPerTerminal),
          phase: net.nodes[node].node,
          bus: net.buses[net.nodes[node].bus],
          dPKw: dp / 1000,
          dQKvar: dq / 1000,
          dIAmps: iMag > 0 ? (cur.re[k] * dcur.re[k] + cur.im[k] * dcur.im[k]) / iMag : 0,
        });
      }
    });
    return { branches, dLossesKw: lossW / 1000, dLossesKvar: lossVar / 1000 };
  }
}
