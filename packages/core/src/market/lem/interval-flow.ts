import { buildNetwork, type DssCircuitState } from '../../grid/dss/index.js';
import {
  type ControlState,
  cloneGraph,
  controlStateOf,
  LoadElement,
  type Network,
  restoreControlState,
} from '../../grid/model/index.js';
import { elementPower, SnapshotSolver } from '../../grid/powerflow/index.js';
import { Linearization } from '../../grid/sensitivity/index.js';

/**
 * Driving-point impedances already found for a circuit, kept while the circuit is unchanged:
 * a real-time market clears the same feeder every few minutes.
 */
const groundOhmsByState = new WeakMap<
  DssCircuitState,
  { version: number; loadMult: number; ohms: Map<number, number> }
>();

function groundOhmsCache(state: DssCircuitState, loadMult: number): Map<number, number> {
  const hit = groundOhmsByState.get(state);
  if (hit && hit.version === state.version && hit.loadMult === loadMult) return hit.ohms;
  const ohms = new Map<number, number>();
  groundOhmsByState.set(state, { version: state.version, loadMult, ohms });
  return ohms;
}

/**
 * The network of a circuit at a load multiplier, built once while the circuit is unchanged,
 * with the copies of it that markets have finished with. Every interval of every market starts
 * from a copy with the template's control state: a real-time market clears the same feeder every
 * five minutes, and copying a network costs more than the market's solve.
 */
interface Template {
  network: Network;
  controls: ControlState;
  free: Network[];
}

const templates = new WeakMap<DssCircuitState, { version: number; byMult: Map<number, Template> }>();

function template(state: DssCircuitState, loadMultiplier: number): Template {
  let t = templates.get(state);
  if (!t || t.version !== state.version) {
    t = { version: state.version, byMult: new Map() };
    templates.set(state, t);
  }
  const mult = state.options.loadMult * loadMultiplier;
  let tpl = t.byMult.get(mult);
  if (!tpl) {
    const saved = state.options.loadMult;
    state.options.loadMult = mult;
    let network: Network;
    try {
      network = buildNetwork(state);
    } finally {
      state.options.loadMult = saved;
    }
    network.applyBusBases(state.busBaseKvLn);
    tpl = { network, controls: controlStateOf(network), free: [] };
    t.byMult.set(mult, tpl);
  }
  return tpl;
}

/** A copy of the template no one else uses, its controls as the template's. */
function acquire(tpl: Template): Network {
  const reused = tpl.free.pop();
  if (!reused) return cloneGraph(tpl.network);
  restoreControlState(reused, tpl.controls);
  return reused;
}

/** Injections (W and var, summed over nodes) that move the AC state by less than the loop's tolerance. */
const SAME_INJECTIONS_W = 0.05;

/** The AC state of one market interval: its network (loads scaled), solver and injections. */
export class IntervalFlow {
  readonly network: Network;
  readonly solver: SnapshotSolver;
  /** net injection per node from the market's schedules, W and var */
  injW: Float64Array;
  injVar: Float64Array;
  private lin: Linearization | undefined;
  private readonly template: Template;
  private released = false;

  constructor(state: DssCircuitState, loadMultiplier: number) {
    this.template = template(state, loadMultiplier);
    this.network = acquire(this.template);
    this.groundOhmsCache = groundOhmsCache(state, state.options.loadMult * loadMultiplier);
    this.solver = new SnapshotSolver(this.network);
    this.injW = new Float64Array(this.network.nodes.length);
    this.injVar = new Float64Array(this.network.nodes.length);
  }

  /**
   * Hands the network back for the next market to copy-free reuse; the flow must not be used
   * after this (its solver's state refers to the network).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.template.free.push(this.network);
  }

  /** the injections of the last solve, to skip a solve that would find the same state */
  private solvedW: Float64Array | undefined;
  private solvedVar: Float64Array | undefined;

  /**
   * Solves the AC power flow with the current injections, controls acting as in a snapshot;
   * false when they moved less than SAME_INJECTIONS_W in all from the last solve's, whose
   * state then stands (steps to the AC loop's fixed point leave most intervals alone).
   */
  solve(options: { maxIterations: number; maxControlIter: number; tolerance: number }): boolean {
    if (this.solvedW && this.solvedVar) {
      let moved = 0;
      for (let k = 0; k < this.injW.length; k++)
        moved += Math.abs(this.injW[k] - this.solvedW[k]) + Math.abs(this.injVar[k] - this.solvedVar[k]);
      if (moved < SAME_INJECTIONS_W) return false;
    }
    this.solvedW = this.injW.slice();
    this.solvedVar = this.injVar.slice();
    const injections = [];
    for (let k = 0; k < this.injW.length; k++) {
      if (this.injW[k] !== 0 || this.injVar[k] !== 0)
        injections.push({ node: k, pW: this.injW[k], qVar: this.injVar[k] });
    }
    this.solver.setPowerInjections(injections);
    this.solver.solve({ ...options, minIterations: 2, controlMode: 'static' });
    this.lin = undefined;
    return true;
  }

  private readonly groundOhmsCache: Map<number, number>;

  /** Driving-point impedance magnitude from node k to ground, ohms: |(Y⁻¹)_kk|. */
  groundOhms(k: number): number {
    let ohms = this.groundOhmsCache.get(k);
    if (ohms === undefined) {
      ohms = this.drivingPointOhms(k);
      this.groundOhmsCache.set(k, ohms);
    }
    return ohms;
  }

  private drivingPointOhms(k: number): number {
    return Math.hypot(...this.solver.y.inverseDiagonal(k));
  }

  get linearization(): Linearization {
    this.lin ??= new Linearization(this.solver);
    return this.lin;
  }

  /** Real power the substation delivers into the feeder, kW. */
  substationKw(): number {
    let kw = 0;
    this.network.elements.forEach((el, e) => {
      if (el.kind !== 'vsource') return;
      const s = elementPower(this.solver, e);
      for (let k = 0; k < el.condsPerTerminal; k++) kw -= s.perCond[k].re / 1000;
    });
    return kw;
  }

  /** Real power the feeder's own loads draw at each node, kW. */
  loadPowerKw(): Float64Array {
    const out = new Float64Array(this.network.nodes.length);
    this.network.elements.forEach((el, e) => {
      if (!(el instanceof LoadElement)) return;
      const map = this.network.conductorNodes[e];
      elementPower(this.solver, e).perCond.forEach((s, k) => {
        if (map[k] >= 0) out[map[k]] += s.re / 1000;
      });
    });
    return out;
  }
}
