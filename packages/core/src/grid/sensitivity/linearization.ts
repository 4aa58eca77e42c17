import { NumericalError, UnsupportedFeatureError } from '../../errors/index.js';
import { type Block2, type Closure, gmres, SparseBlockLu } from '../../linalg/index.js';
import { LoadElement, type Network } from '../model/index.js';
import { elementCurrents, type SnapshotSolver } from '../powerflow/index.js';

/**
 * A constant-power injection's current conj(S/V) changes by a·conj(dV), a = −conj(S)/conj(V)²;
 * in real form the 2×2 block [[ar, ai], [ai, −ar]].
 */
function powerInjectionBlock(pW: number, qVar: number, vr: number, vi: number): [number, number] {
  const cr = pW;
  const ci = -qVar;
  const wr = vr;
  const wi = -vi;
  const w2r = wr * wr - wi * wi;
  const w2i = 2 * wr * wi;
  const den = w2r * w2r + w2i * w2i;
  return [-(cr * w2r + ci * w2i) / den, -(ci * w2r - cr * w2i) / den];
}

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

/**
 * A scalar quantity of the solved state, as the gradient of its first-order change with
 * respect to the node voltages: change = Σ gRe[i]·dVre[i] + gIm[i]·dVim[i].
 */
export interface VoltageGradient {
  gRe: Float64Array;
  gIm: Float64Array;
}

/** A gradient (see VoltageGradient) by its nonzeros: entry j is at nodes[j]; a node may repeat, its entries add. */
export interface SparseGradient {
  nodes: number[];
  re: number[];
  im: number[];
}

/** How one quantity changes per kW and per kvar injected at chosen nodes (entry j at the j-th). */
export interface NodeSensitivities {
  perKw: Float64Array;
  perKvar: Float64Array;
}

/** How one quantity changes per kW and per kvar injected at every node. */
export interface InjectionSensitivities {
  /** d quantity / d P injected at node k, per kW */
  perKw: Float64Array;
  /** d quantity / d Q injected at node k, per kvar */
  perKvar: Float64Array;
  gmresIterations: number;
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
 * factorized once in real 2×2-block form (Y − J) on the admittance matrix's own pattern, so
 * every response or adjoint after that is one sparse solve. Where that factorization is not
 * possible it falls back to GMRES on the preconditioned form (I − Y⁻¹J)ΔV = Y⁻¹ΔI, reusing
 * the power flow's LDLᵀ factorization of Y. Flows and losses follow from ΔV through the
 * element primitives.
 */
export class Linearization {
  readonly network: Network;
  private readonly n: number;
  private readonly loads: { el: LoadElement; nodes: Int32Array }[] = [];
  private readonly tmp: { re: Float64Array; im: Float64Array; ore: Float64Array; oim: Float64Array };
  /**
   * the solved state it linearizes around, copied: the solver may solve again (a market's next
   * AC iteration) while sensitivities taken here are still being read
   */
  private readonly voltages: { re: Float64Array; im: Float64Array };
  private readonly injections: readonly { node: number; pW: number; qVar: number }[];

  /** the factorized Jacobian; null where it could not be built and GMRES is used instead */
  private lu: SparseBlockLu | null | undefined;

  constructor(
    readonly solver: SnapshotSolver,
    private readonly method: 'direct' | 'gmres' = 'direct',
  ) {
    this.network = solver.network;
    this.n = this.network.nodes.length;
    this.voltages = { re: solver.voltages.re.slice(), im: solver.voltages.im.slice() };
    this.injections = solver.injections.map((x) => ({ node: x.node, pW: x.pW, qVar: x.qVar }));
    this.network.elements.forEach((el, e) => {
      if (el instanceof LoadElement) this.loads.push({ el, nodes: this.network.conductorNodes[e] });
      // a model-3 generator's vars respond to the voltage by its own rule, not a fixed I(V)
      if (el.kind === 'generator')
        throw new UnsupportedFeatureError(
          `${el.id}: sensitivities around a voltage-regulating generator (model 3) are not modelled`,
        );
    });
    const mk = () => new Float64Array(this.n);
    this.tmp = { re: mk(), im: mk(), ore: mk(), oim: mk() };
  }

  /** J·dV: derivative of all compensation and power injections along dV. */
  private jacobian(dvRe: Float64Array, dvIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { re, im } = this.voltages;
    outRe.fill(0);
    outIm.fill(0);
    for (const l of this.loads) l.el.injectionDerivative(re, im, dvRe, dvIm, l.nodes, outRe, outIm);
    for (const x of this.injections) {
      const k = x.node;
      const [ar, ai] = powerInjectionBlock(x.pW, x.qVar, re[k], im[k]);
      outRe[k] += ar * dvRe[k] + ai * dvIm[k];
      outIm[k] += ai * dvRe[k] - ar * dvIm[k];
    }
  }

  /** Transpose of jacobian(): the adjoint action on a voltage-space vector. */
  private jacobianTranspose(
    wRe: Float64Array,
    wIm: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const { re, im } = this.voltages;
    outRe.fill(0);
    outIm.fill(0);
    for (const b of this.branchBlocks()) {
      // J contributes M·(dVa − dVb) to a and its negative to b; its transpose maps w to Mᵀ(wa − wb)
      const ur = (b.a >= 0 ? wRe[b.a] : 0) - (b.b >= 0 ? wRe[b.b] : 0);
      const ui = (b.a >= 0 ? wIm[b.a] : 0) - (b.b >= 0 ? wIm[b.b] : 0);
      const tr = b.m00 * ur + b.m10 * ui;
      const ti = b.m01 * ur + b.m11 * ui;
      if (b.a >= 0) {
        outRe[b.a] += tr;
        outIm[b.a] += ti;
      }
      if (b.b >= 0) {
        outRe[b.b] -= tr;
        outIm[b.b] -= ti;
      }
    }
    for (const { node: nn, er, ei } of this.neutralExtras()) {
      // a wye neutral's extra diagonal e acts as [[er, −ei], [ei, er]]; transposed [[er, ei], [−ei, er]]
      outRe[nn] += er * wRe[nn] + ei * wIm[nn];
      outIm[nn] += -ei * wRe[nn] + er * wIm[nn];
    }
    for (const x of this.injections) {
      const k = x.node;
      // the block [[ar, ai], [ai, −ar]] is symmetric, its own transpose
      const [ar, ai] = powerInjectionBlock(x.pW, x.qVar, re[k], im[k]);
      outRe[k] += ar * wRe[k] + ai * wIm[k];
      outIm[k] += ai * wRe[k] - ar * wIm[k];
    }
  }

  /** The extra diagonal admittance of each wye load's floating neutral node. */
  private *neutralExtras(): Generator<{ node: number; er: number; ei: number }> {
    for (const { el, nodes } of this.loads) {
      const node = nodes[el.p.phases];
      if (el.p.conn !== 'wye' || node === undefined || node < 0) continue;
      yield { node, er: el.neutralExtra.re, ei: el.neutralExtra.im };
    }
  }

  /** Y − J in real form, factorized; null when GMRES must do (asked for, or a pattern or pivot problem). */
  private direct(): SparseBlockLu | null {
    if (this.lu !== undefined) return this.lu;
    this.lu = null;
    if (this.method !== 'direct') return null;
    const y = this.solver.y.ldl;
    const lu = new SparseBlockLu(y.symbolic);
    // Y is complex symmetric: each stored entry y stands for (i, j) and (j, i) alike
    for (let p = 0; p < y.symbolic.nonzeros; p++) {
      const yr = y.val[2 * p];
      const yi = y.val[2 * p + 1];
      lu.addSymmetricAt(p, [yr, -yi, yi, yr]);
    }
    const { re, im } = this.voltages;
    let fits = true;
    // stamps −sign·b: the Jacobian's terms enter as Y − J
    const stamp = (i: number, j: number, b: Block2, sign: 1 | -1 = 1) => {
      if (i >= 0 && j >= 0)
        fits = lu.add(i, j, [-sign * b[0], -sign * b[1], -sign * b[2], -sign * b[3]]) && fits;
    };
    for (const b of this.branchBlocks()) {
      // a load branch's M acts on dVa − dVb into a, and its negative into b
      const m: Block2 = [b.m00, b.m01, b.m10, b.m11];
      stamp(b.a, b.a, m);
      stamp(b.b, b.b, m);
      stamp(b.a, b.b, m, -1);
      stamp(b.b, b.a, m, -1);
    }
    for (const { node, er, ei } of this.neutralExtras()) stamp(node, node, [er, -ei, ei, er]);
    for (const x of this.injections) {
      const [ar, ai] = powerInjectionBlock(x.pW, x.qVar, re[x.node], im[x.node]);
      stamp(x.node, x.node, [ar, ai, ai, -ar]);
    }
    if (!fits) return null;
    try {
      lu.factor((i) => `bus ${this.network.nodeName(i)}`);
    } catch (e) {
      if (e instanceof NumericalError) return null;
      throw e;
    }
    this.lu = lu;
    return lu;
  }

  private blocks: { a: number; b: number; m00: number; m01: number; m10: number; m11: number }[] | undefined;

  /**
   * The 2×2 real Jacobian of every load branch, d(Yeq·v − I(v))/dv around the solved state,
   * built column by column from the loads' own directional derivatives.
   */
  private branchBlocks() {
    if (this.blocks) return this.blocks;
    const { re, im } = this.voltages;
    this.blocks = [];
    for (const { el, nodes } of this.loads) {
      const y = el.yeq;
      for (let i = 0; i < el.p.phases; i++) {
        const a = nodes[i];
        const b = nodes[el.otherConductor[i]];
        const vr = (a >= 0 ? re[a] : 0) - (b >= 0 ? re[b] : 0);
        const vi = (a >= 0 ? im[a] : 0) - (b >= 0 ? im[b] : 0);
        const c0 = el.currentDerivative(i, vr, vi, 1, 0);
        const c1 = el.currentDerivative(i, vr, vi, 0, 1);
        this.blocks.push({
          a,
          b,
          m00: y.re - c0.re,
          m10: y.im - c0.im,
          m01: -y.im - c1.re,
          m11: y.re - c1.im,
        });
      }
    }
    return this.blocks;
  }

  /**
   * Sensitivities of one quantity to P and Q injected at every node at once, by the adjoint:
   * with A = I − Y⁻¹J the linearized map, solve Aᵀw = g, then z = (Y⁻¹)ᵀw, and the
   * sensitivity to a current ΔI_k at node k is z_k·ΔI_k. (Y is complex symmetric, so the
   * transpose of its real form solves with conj(Y): z = conj(Y⁻¹ conj(w)).)
   */
  sensitivitiesOf(g: VoltageGradient): InjectionSensitivities {
    const n = this.n;
    const { re, im } = this.voltages;
    const zr = new Float64Array(n);
    const zi = new Float64Array(n);
    const iterations = this.adjoint(g, zr, zi);
    const perKw = new Float64Array(n);
    const perKvar = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const d = re[k] * re[k] + im[k] * im[k];
      if (d === 0) continue;
      // ΔI for 1 kW: 1000·V/|V|²; for 1 kvar: −j·1000·V/|V|²
      perKw[k] = (1000 * (zr[k] * re[k] + zi[k] * im[k])) / d;
      perKvar[k] = (1000 * (zr[k] * im[k] - zi[k] * re[k])) / d;
    }
    return { perKw, perKvar, gmresIterations: iterations };
  }

  /**
   * The same sensitivities read at a few nodes only (entry j of each array for nodes[j]), from
   * a gradient given by its nonzeros: with the factorization, the solve follows the gradient's
   * nodes and the wanted ones up the elimination tree and leaves the rest of the feeder alone
   * (`closure` gives the wanted nodes' mask once for many gradients).
   */
  sensitivitiesAt(g: SparseGradient, nodes: readonly number[], only?: Closure): NodeSensitivities {
    const n = this.n;
    const { re, im } = this.voltages;
    const z = this.work().z;
    const lu = this.direct();
    if (lu) lu.solveSparse(g, z, true, only ?? lu.closure(nodes));
    else {
      const dense = this.dense(g);
      const zr = new Float64Array(n);
      const zi = new Float64Array(n);
      this.adjoint(dense, zr, zi);
      z.set(zr, 0);
      z.set(zi, n);
    }
    const perKw = new Float64Array(nodes.length);
    const perKvar = new Float64Array(nodes.length);
    nodes.forEach((k, j) => {
      const d = re[k] * re[k] + im[k] * im[k];
      if (d === 0) return;
      perKw[j] = (1000 * (z[k] * re[k] + z[n + k] * im[k])) / d;
      perKvar[j] = (1000 * (z[k] * im[k] - z[n + k] * re[k])) / d;
    });
    return { perKw, perKvar };
  }

  /** The nodes' closure for sensitivitiesAt, made once for every gradient read at them; undefined without the factorization. */
  closure(nodes: readonly number[]): Closure | undefined {
    return this.direct()?.closure(nodes) ?? undefined;
  }

  private buffers: { b: Float64Array; z: Float64Array } | undefined;

  private work() {
    this.buffers ??= { b: new Float64Array(2 * this.n), z: new Float64Array(2 * this.n) };
    return this.buffers;
  }

  /** z = (Y − J)⁻ᵀ g into zr, zi; GMRES iterations taken (0 with the factorization). */
  private adjoint(g: VoltageGradient, zr: Float64Array, zi: Float64Array): number {
    const n = this.n;
    const lu = this.direct();
    const { b, z } = this.work();
    b.set(g.gRe, 0);
    b.set(g.gIm, n);
    if (lu) {
      // z = (Y − J)⁻ᵀ g, the same as (Y⁻¹)ᵀ w with Aᵀw = g
      lu.solve(b, z, true);
      zr.set(z.subarray(0, n));
      zi.set(z.subarray(n));
      return 0;
    }
    const y = this.solver.y;
    const { re: tr, im: ti, ore, oim } = this.tmp;
    const yInvT = (ur: Float64Array, ui: Float64Array, outR: Float64Array, outI: Float64Array) => {
      for (let i = 0; i < n; i++) ui[i] = -ui[i];
      y.solve(ur, ui, outR, outI);
      for (let i = 0; i < n; i++) {
        ui[i] = -ui[i];
        outI[i] = -outI[i];
      }
    };
    const applyT = (x: Float64Array, out: Float64Array) => {
      // Aᵀx = x − Jᵀ (Y⁻ᵀ x)
      for (let i = 0; i < n; i++) {
        tr[i] = x[i];
        ti[i] = x[n + i];
      }
      yInvT(tr, ti, ore, oim);
      this.jacobianTranspose(ore, oim, tr, ti);
      for (let i = 0; i < n; i++) {
        out[i] = x[i] - tr[i];
        out[n + i] = x[n + i] - ti[i];
      }
    };
    const sol = gmres(applyT, b.slice(), { tolerance: 1e-11, restart: 30, maxIterations: 2000 });
    yInvT(sol.x.slice(0, n), sol.x.slice(n), zr, zi);
    return sol.iterations;
  }

  /** Node i's voltage magnitude in per unit of its base, as the nonzeros of its gradient. */
  voltageMagnitudeTerms(i: number): SparseGradient {
    const { re, im } = this.voltages;
    const m = Math.hypot(re[i], im[i]);
    const base = this.network.nodeBaseV[i] || 1;
    return { nodes: [i], re: [re[i] / m / base], im: [im[i] / m / base] };
  }

  /** The current magnitude (A) into conductor k of series element e, as the nonzeros of its gradient. */
  currentMagnitudeTerms(e: number, k: number): SparseGradient {
    const { cur, yp, map } = this.elementState(e);
    const out: SparseGradient = { nodes: [], re: [], im: [] };
    const ir = cur.re[k];
    const ii = cur.im[k];
    const mag = Math.hypot(ir, ii);
    if (mag === 0) return out;
    const m = map.length;
    for (let c = 0; c < m; c++) {
      const node = map[c];
      if (node < 0) continue;
      // d|I| = Re(conj(I)·Y_kc·dV_c)/|I|
      const yr = yp.re[k * m + c];
      const yi = yp.im[k * m + c];
      out.nodes.push(node);
      out.re.push((ir * yr + ii * yi) / mag);
      out.im.push(-(ir * yi - ii * yr) / mag);
    }
    return out;
  }

  /** Gradient of node i's voltage magnitude in per unit of its base. */
  voltageMagnitude(i: number): VoltageGradient {
    return this.dense(this.voltageMagnitudeTerms(i));
  }

  /** Gradient of the current magnitude (A) into conductor k of series element e. */
  currentMagnitude(e: number, k: number): VoltageGradient {
    return this.dense(this.currentMagnitudeTerms(e, k));
  }

  /** A gradient given by its nonzeros, as the full vectors. */
  dense(terms: SparseGradient): VoltageGradient {
    const g = this.emptyGradient();
    terms.nodes.forEach((node, j) => {
      g.gRe[node] += terms.re[j];
      g.gIm[node] += terms.im[j];
    });
    return g;
  }

  /**
   * Gradient of the real power (W) the sources deliver into the circuit. Its sensitivity to an
   * injection is −1 plus the change of losses plus the change of voltage-dependent loads, the
   * whole effect on what the substation must supply.
   */
  sourcePower(): VoltageGradient {
    const g = this.emptyGradient();
    this.network.elements.forEach((el, e) => {
      if (el.kind !== 'vsource') return;
      const { v, cur, yp, map } = this.elementState(e);
      const m = map.length;
      const inj = { re: new Float64Array(m), im: new Float64Array(m) };
      (el as unknown as { injection(a: Float64Array, b: Float64Array): void }).injection(inj.re, inj.im);
      // current into the source's terminals is Yprim·V less its Norton current
      for (let k = 0; k < m; k++) {
        cur.re[k] -= inj.re[k];
        cur.im[k] -= inj.im[k];
      }
      for (let c = 0; c < el.condsPerTerminal; c++) this.addPowerGradient(g, v, cur, yp, map, c, -1);
    });
    return g;
  }

  /**
   * Adds sign·d Re(V_c·conj(I_c)) for conductor c of an element to g, where I = Yprim·V (+ a
   * constant): d = Re(conj(I_c)·dV_c) + Re(conj(V_c)·Σ_m Y_cm·dV_m).
   */
  private addPowerGradient(
    g: VoltageGradient,
    v: { re: Float64Array; im: Float64Array },
    cur: { re: Float64Array; im: Float64Array },
    yp: { re: Float64Array; im: Float64Array },
    map: Int32Array,
    c: number,
    sign: number,
  ): void {
    const m = map.length;
    const nc = map[c];
    if (nc >= 0) {
      g.gRe[nc] += sign * cur.re[c];
      g.gIm[nc] += sign * cur.im[c];
    }
    for (let j = 0; j < m; j++) {
      const node = map[j];
      if (node < 0) continue;
      const yr = yp.re[c * m + j];
      const yi = yp.im[c * m + j];
      const ar = v.re[c] * yr + v.im[c] * yi;
      const ai = v.re[c] * yi - v.im[c] * yr;
      g.gRe[node] += sign * ar;
      g.gIm[node] -= sign * ai;
    }
  }

  /** Gradient of total real losses (W) in lines, transformers and series reactors. */
  totalLosses(): VoltageGradient {
    const g = this.emptyGradient();
    this.network.elements.forEach((el, e) => {
      if (!el.isSeries) return;
      const { v, cur, yp, map } = this.elementState(e);
      const m = map.length;
      for (let c = 0; c < m; c++) {
        const node = map[c];
        if (node < 0) continue;
        // dP = Re(conj(I_c)·dV_c) + Re(Σ_r conj(V_r)·Y_rc·dV_c)
        let ar = cur.re[c];
        let ai = -cur.im[c];
        for (let r = 0; r < m; r++) {
          const yr = yp.re[r * m + c];
          const yi = yp.im[r * m + c];
          ar += v.re[r] * yr + v.im[r] * yi;
          ai += v.re[r] * yi - v.im[r] * yr;
        }
        g.gRe[node] += ar;
        g.gIm[node] -= ai;
      }
    });
    return g;
  }

  private emptyGradient(): VoltageGradient {
    return { gRe: new Float64Array(this.n), gIm: new Float64Array(this.n) };
  }

  private elementState(e: number) {
    const map = this.network.conductorNodes[e];
    const { re, im } = this.voltages;
    const m = map.length;
    const v = { re: new Float64Array(m), im: new Float64Array(m) };
    for (let k = 0; k < m; k++) {
      const i = map[k];
      v.re[k] = i >= 0 ? re[i] : 0;
      v.im[k] = i >= 0 ? im[i] : 0;
    }
    const yp = this.solver.y.yprims[e];
    const cur = { re: new Float64Array(m), im: new Float64Array(m) };
    elementCurrents(yp.re, yp.im, v.re, v.im, cur.re, cur.im);
    return { v, cur, yp, map };
  }

  /** Voltage, flow and loss changes for 1 kW ('p') or 1 kvar ('q') delivered into node k. */
  responseTo(node: number, kind: 'p' | 'q'): InjectionResponse {
    const n = this.n;
    const { re, im } = this.voltages;
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
    const lu = this.direct();
    if (lu) {
      const b = new Float64Array(2 * n);
      b.set(iRe, 0);
      b.set(iIm, n);
      const x = new Float64Array(2 * n);
      lu.solve(b, x);
      return this.response(node, kind, x.slice(0, n), x.slice(n), 0);
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
    const sol = gmres(apply, b, { tolerance: 1e-11, restart: 30, maxIterations: 2000 });
    return this.response(node, kind, sol.x.slice(0, n), sol.x.slice(n), sol.iterations);
  }

  private response(
    node: number,
    kind: 'p' | 'q',
    dVRe: Float64Array,
    dVIm: Float64Array,
    gmresIterations: number,
  ): InjectionResponse {
    const n = this.n;
    const { re, im } = this.voltages;
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
      gmresIterations,
    };
  }

  private flows(dVRe: Float64Array, dVIm: Float64Array) {
    const net = this.network;
    const { re, im } = this.voltages;
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
