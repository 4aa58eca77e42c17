import { ConvergenceError } from '../../errors/index.js';
import {
  LoadBank,
  type LoadElement,
  type Network,
  PvGeneratorElement,
  type VsourceElement,
} from '../model/index.js';
import { ControlQueue } from './control-queue.js';
import {
  CapacitorController,
  type ControlContext,
  type Controller,
  RegulatorController,
} from './controllers.js';
import { InverterController } from './inverter-controller.js';
import { NodeVoltages } from './snapshot-state.js';
import { Ybus } from './ybus.js';

/** Power delivered into one node: W and var, generation positive. */
export interface PowerInjection {
  node: number;
  pW: number;
  qVar: number;
}

export interface SnapshotOptions {
  maxIterations: number;
  minIterations: number;
  tolerance: number;
  maxControlIter: number;
  controlMode: 'static' | 'off' | 'time';
  /** the solution clock in seconds, for time-driven control; 0 in a snapshot */
  nowSec?: number;
}

export interface SnapshotStats {
  converged: boolean;
  /** fixed-point iterations summed over all control iterations */
  iterations: number;
  controlIterations: number;
  /** most iterations in one control iteration */
  mostIterations: number;
  /** largest per-unit voltage change in the last iteration */
  finalMismatchPu: number;
}

/**
 * OpenDSS's snapshot power flow: a fixed-point current-injection iteration on a sparse
 * LDLᵀ factorization of the nodal admittance matrix (factorized once, refactored only when
 * a tap or capacitor step changes), inside the static control loop of regulators and
 * capacitor controls.
 */
export class SnapshotSolver {
  readonly network: Network;
  readonly voltages: NodeVoltages;
  private ybus: Ybus | undefined;
  private readonly dirty = new Set<number>();
  private readonly iRe: Float64Array;
  private readonly iIm: Float64Array;
  private readonly vMagSaved: Float64Array;
  private readonly sourceInj: { e: number; re: Float64Array; im: Float64Array }[];
  private readonly loads: { el: LoadElement; nodes: Int32Array }[];
  /** voltage-regulating generators (model 3), updated once per iteration */
  private readonly pvGens: { el: PvGeneratorElement; nodes: Int32Array }[] = [];
  private readonly pvScratch = {
    vr: new Float64Array(0),
    vi: new Float64Array(0),
    ir: new Float64Array(0),
    ii: new Float64Array(0),
  };
  readonly controllers: Controller[];
  private readonly loadBank: LoadBank;
  /** constant-power injections (generation positive) added to the network, e.g. market schedules */
  private powerInjections: PowerInjection[] = [];
  private readonly queue: ControlQueue<Controller>;
  /** true once node voltages hold a meaningful starting point */
  initialized = false;

  /**
   * `earlier`: the last solver of the same circuit, whose controls' memory and queued actions
   * this one takes over, as OpenDSS keeps them from one Solve to the next.
   */
  constructor(network: Network, earlier?: SnapshotSolver) {
    this.network = network;
    this.queue = earlier?.queue ?? new ControlQueue<Controller>();
    this.voltages = new NodeVoltages(network);
    const n = network.nodes.length;
    this.iRe = new Float64Array(n);
    this.iIm = new Float64Array(n);
    this.vMagSaved = new Float64Array(n);
    this.sourceInj = [];
    this.loads = [];
    network.elements.forEach((el, e) => {
      const nc = network.conductorNodes[e].length;
      if (el.kind === 'vsource') {
        const re = new Float64Array(nc);
        const im = new Float64Array(nc);
        (el as VsourceElement).injection(re, im);
        this.sourceInj.push({ e, re, im });
      } else if (el.kind === 'load') {
        this.loads.push({ el: el as LoadElement, nodes: network.conductorNodes[e] });
      } else if (el instanceof PvGeneratorElement) {
        this.pvGens.push({ el, nodes: network.conductorNodes[e] });
      }
    });
    const maxPhases = Math.max(0, ...this.pvGens.map((g) => g.el.p.phases));
    this.pvScratch = {
      vr: new Float64Array(maxPhases),
      vi: new Float64Array(maxPhases),
      ir: new Float64Array(maxPhases),
      ii: new Float64Array(maxPhases),
    };
    this.loadBank = new LoadBank(this.loads);
    const byOrder = [
      ...network.regulators.map((c) => ({
        c: new RegulatorController(c, network) as Controller,
        order: c.order,
      })),
      ...network.capControls.map((c) => ({
        c: new CapacitorController(c, network) as Controller,
        order: c.order,
      })),
      ...network.invControls.map((c) => ({
        c: new InverterController(c, network) as Controller,
        order: c.order,
      })),
    ].sort((a, b) => a.order - b.order);
    this.controllers = byOrder.map((x) => x.c);
    if (earlier) this.takeOverControls(earlier);
    // a PV system keeps the output an inverter control gave it in an earlier solve
    for (const c of network.invControls)
      for (const der of c.ders) {
        const out = der.present();
        this.setInjectionPower(der.element, out.kw, out.kvar);
      }
  }

  private takeOverControls(earlier: SnapshotSolver): void {
    const byId = new Map(this.controllers.map((c) => [c.id, c]));
    for (const old of earlier.controllers) byId.get(old.id)?.takeOver?.(old);
    this.queue.rebind((owner) => byId.get(owner.id));
  }

  /**
   * Scales a load's (or generator's) P and Q from its nominal, as a time step's shape says; a
   * voltage-regulating generator takes the P multiplier only (its vars follow the voltage).
   */
  scaleLoad(el: LoadElement | PvGeneratorElement, mP: number, mQ: number): void {
    if (el instanceof PvGeneratorElement) el.pScale = mP;
    else this.loadBank.scale(el, mP, mQ);
  }

  /** Sets a generation element's output outright (kW and kvar, generation positive). */
  setInjectionPower(el: LoadElement, pKw: number, qKvar: number): void {
    const n = el.p.phases;
    this.loadBank.setPower(el, (-pKw * 1000) / n, (-qKvar * 1000) / n);
  }

  /** A generation element's present output at the solved voltages, kW (generation positive). */
  injectionPowerKw(el: LoadElement): number {
    return -this.loadBank.powerW(el, this.voltages.re, this.voltages.im) / 1000;
  }

  /** The voltage-regulating generators of the network. */
  get voltageRegulatingGenerators(): readonly PvGeneratorElement[] {
    return this.pvGens.map((g) => g.el);
  }

  /** Replaces the constant-power injections; each is P and Q delivered into one node. */
  setPowerInjections(injections: PowerInjection[]): void {
    this.powerInjections = injections.map((x) => ({ ...x }));
  }

  get injections(): readonly PowerInjection[] {
    return this.powerInjections;
  }

  /** The factorized full admittance matrix, built on first use. */
  get y(): Ybus {
    if (!this.ybus) this.ybus = new Ybus(this.network);
    if (this.dirty.size > 0) {
      this.ybus.update(this.dirty);
      this.dirty.clear();
    }
    return this.ybus;
  }

  /** Solves the network with sources only and shunts left out: OpenDSS's zero-load solution. */
  solveZeroLoad(): void {
    const yS = new Ybus(this.network, true);
    this.addSourceInjections();
    yS.solve(this.iRe, this.iIm, this.voltages.re, this.voltages.im);
    this.initialized = true;
    // OpenDSS computes every element's full primitive together with its series part here,
    // so the solve that follows only stamps them; the elements cache theirs likewise
    for (const el of this.network.elements) el.yprim();
  }

  /**
   * OpenDSS's direct solution: one solve of the admittance matrix with every load and generator
   * as its equivalent admittance and the sources' currents; no iteration, no controls.
   */
  solveDirect(): SnapshotStats {
    this.addSourceInjections();
    this.y.solve(this.iRe, this.iIm, this.voltages.re, this.voltages.im);
    this.initialized = true;
    return { converged: true, iterations: 1, controlIterations: 1, mostIterations: 1, finalMismatchPu: 0 };
  }

  private addSourceInjections(): void {
    this.iRe.fill(0);
    this.iIm.fill(0);
    for (const s of this.sourceInj) {
      const map = this.network.conductorNodes[s.e];
      for (let k = 0; k < map.length; k++) {
        const i = map[k];
        if (i < 0) continue;
        this.iRe[i] += s.re[k];
        this.iIm[i] += s.im[k];
      }
    }
  }

  private addLoadInjections(): void {
    const { re, im } = this.voltages;
    this.loadBank.inject(re, im, this.iRe, this.iIm);
    this.addPvGeneratorInjections();
    for (const x of this.powerInjections) {
      // I = conj(S / V)
      const vr = re[x.node];
      const vi = im[x.node];
      const d = vr * vr + vi * vi;
      this.iRe[x.node] += (x.pW * vr + x.qVar * vi) / d;
      this.iIm[x.node] += (x.pW * vi - x.qVar * vr) / d;
    }
  }

  /**
   * Each model-3 generator moves its vars once per iteration, as OpenDSS's DoPVTypeGen does, and
   * injects its current plus the compensation of its 1 % admittance in the matrix.
   */
  private addPvGeneratorInjections(): void {
    const { re, im } = this.voltages;
    const { vr, vi, ir, ii } = this.pvScratch;
    for (const { el, nodes } of this.pvGens) {
      const n = el.p.phases;
      for (let i = 0; i < n; i++) {
        const a = nodes[i];
        const b = nodes[el.otherConductor[i]];
        vr[i] = (a >= 0 ? re[a] : 0) - (b >= 0 ? re[b] : 0);
        vi[i] = (a >= 0 ? im[a] : 0) - (b >= 0 ? im[b] : 0);
      }
      el.update(vr, vi, ir, ii);
      const { re: yr, im: yi } = el.yMatrix;
      for (let i = 0; i < n; i++) {
        const dr = yr * vr[i] - yi * vi[i] + ir[i];
        const di = yr * vi[i] + yi * vr[i] + ii[i];
        const a = nodes[i];
        const b = nodes[el.otherConductor[i]];
        if (a >= 0) {
          this.iRe[a] += dr;
          this.iIm[a] += di;
        }
        if (b >= 0) {
          this.iRe[b] -= dr;
          this.iIm[b] -= di;
        }
      }
    }
  }

  /**
   * OpenDSS's start for model-3 generators (SetGeneratordQdV): each one's dQ/dV from the
   * matrix diagonal at its first node, its vars back at kvar, and the iteration started from
   * the zero-load solution.
   */
  private initPvGenerators(y: Ybus): void {
    const diag = (node: number) => {
      let re = 0;
      let im = 0;
      this.network.conductorNodes.forEach((map, e) => {
        const yp = y.yprims[e];
        const n = map.length;
        for (let a = 0; a < n; a++) {
          if (map[a] !== node) continue;
          for (let b = 0; b < n; b++) {
            if (map[b] !== node) continue;
            re += yp.re[a * n + b];
            im += yp.im[a * n + b];
          }
        }
      });
      return { re, im };
    };
    for (const { el, nodes } of this.pvGens) {
      const d = nodes[0] >= 0 ? diag(nodes[0]) : { re: 0, im: 0 };
      el.setDqdvFromDiagonal(d.re, d.im);
      el.qVar = el.p.qKvarVar;
    }
    const yS = new Ybus(this.network, true);
    this.addSourceInjections();
    yS.solve(this.iRe, this.iIm, this.voltages.re, this.voltages.im);
  }

  /** Largest change of |V| since the last call, per unit of the node's base (relative where none). */
  private mismatch(): number {
    const { re, im } = this.voltages;
    const base = this.network.nodeBaseV;
    let max = 0;
    for (let i = 0; i < re.length; i++) {
      const m = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
      const err =
        base[i] > 0
          ? Math.abs(m - this.vMagSaved[i]) / base[i]
          : m !== 0
            ? Math.abs(1 - this.vMagSaved[i] / m)
            : 0;
      this.vMagSaved[i] = m;
      if (err > max || Number.isNaN(err)) max = err;
    }
    return max;
  }

  /** The inner fixed-point loop; returns iterations used and the final mismatch. */
  private solveCircuit(opts: SnapshotOptions): { iterations: number; mismatch: number; converged: boolean } {
    const y = this.y;
    if (!this.initialized) {
      // first guess: every load as its nominal admittance, sources only
      this.addSourceInjections();
      y.solve(this.iRe, this.iIm, this.voltages.re, this.voltages.im);
      if (this.pvGens.length > 0) this.initPvGenerators(y);
      this.initialized = true;
    }
    let it = 0;
    let mismatch = Number.POSITIVE_INFINITY;
    let converged = false;
    while (it < opts.maxIterations) {
      it++;
      this.addSourceInjections();
      this.addLoadInjections();
      y.solve(this.iRe, this.iIm, this.voltages.re, this.voltages.im);
      mismatch = this.mismatch();
      converged = mismatch <= opts.tolerance;
      if (converged && it >= opts.minIterations) break;
    }
    return { iterations: it, mismatch, converged: converged && Number.isFinite(mismatch) };
  }

  private context(opts: SnapshotOptions): ControlContext {
    return {
      mode: opts.controlMode === 'time' ? 'time' : 'static',
      now: opts.nowSec ?? 0,
      network: this.network,
      voltages: this.voltages,
      yprim: (e) => {
        const y = this.y.yprims[e];
        return { re: y.re, im: y.im };
      },
      invalidate: (e) => this.dirty.add(e),
      queue: this.queue,
      controlIteration: 0,
      setInjectionPower: (el, pKw, qKvar) => this.setInjectionPower(el, pKw, qKvar),
    };
  }

  /**
   * Solves with the control loop. Throws ConvergenceError when the iteration does not
   * converge or the controls keep acting past maxControlIter.
   */
  solve(opts: SnapshotOptions): SnapshotStats {
    let total = 0;
    let most = 0;
    let controlIteration = 0;
    let done = false;
    let last = { iterations: 0, mismatch: 0, converged: false };
    const ctx = this.context(opts);
    while (!done && controlIteration < opts.maxControlIter) {
      controlIteration++;
      last = this.solveCircuit(opts);
      total += last.iterations;
      most = Math.max(most, last.iterations);
      if (!last.converged) {
        throw new ConvergenceError(
          `power flow did not converge in ${last.iterations} iterations (control iteration ${controlIteration}); final voltage change ${last.mismatch.toExponential(3)} pu exceeds tolerance ${opts.tolerance}`,
          {
            details: {
              iterations: total,
              controlIterations: controlIteration,
              finalMismatchPu: last.mismatch,
            },
          },
        );
      }
      if (opts.controlMode === 'off' || this.controllers.length === 0) {
        done = true;
        break;
      }
      if (controlIteration >= opts.maxControlIter) break;
      ctx.controlIteration = controlIteration;
      for (const c of this.controllers) c.sample(ctx);
      if (opts.controlMode === 'time') {
        // OpenDSS's time-driven control: every action due by the clock; none left means done
        if (!this.queue.runDue(ctx.now, (c) => c.act(ctx))) done = true;
      } else if (this.queue.isEmpty) done = true;
      else this.queue.runNearest((c) => c.act(ctx));
    }
    if (!done) {
      throw new ConvergenceError(
        `controls still acting after ${controlIteration} control iterations (maxcontroliter=${opts.maxControlIter})`,
        {
          details: { iterations: total, controlIterations: controlIteration, finalMismatchPu: last.mismatch },
        },
      );
    }
    return {
      converged: true,
      iterations: total,
      controlIterations: controlIteration,
      mostIterations: most,
      finalMismatchPu: last.mismatch,
    };
  }
}
