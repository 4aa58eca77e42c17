import { InvalidValueError } from '../errors/index.js';
import type { Network } from '../grid/model/index.js';
import { SnapshotSolver, summarize } from '../grid/powerflow/index.js';
import { branchElements, branchLoadingPct, busVoltagesPu, feederMap } from './feeder-map.js';
import type { HomeSite } from './household.js';
import type { FeederMap, GridState } from './ports.js';

export interface FlowSite extends HomeSite {
  /** power factor of its demand */
  pf: number;
}

/** The nodes each site injects at: its bus's nodes of its phases; refuses a bus or phase the feeder lacks. */
export function siteNodes(network: Network, sites: readonly HomeSite[]): number[][] {
  return sites.map((s) => {
    const b = network.busIndex.get(s.bus.toLowerCase());
    if (b === undefined) throw new InvalidValueError(`inventory: prosumer ${s.id}: unknown bus "${s.bus}"`);
    return s.phases.map((p) => {
      const k = network.busNodes[b].find((i) => network.nodes[i].node === p);
      if (k === undefined)
        throw new InvalidValueError(`inventory: prosumer ${s.id}: bus "${s.bus}" has no phase ${p}`);
      return k;
    });
  });
}

/**
 * The DSO's AC power flow of the metered state: the feeder with its own loads off (the sites
 * carry all demand), every site's metered net power injected at its bus and phases, split
 * equally, with its demand's reactive power.
 */
export class FeederFlow {
  private readonly solver: SnapshotSolver;
  private readonly nodes: number[][];
  /** the feeder as a map: each solution's bus voltages and branch loadings are published against it */
  readonly map: FeederMap;
  private readonly branchElements: number[];

  constructor(
    network: Network,
    private readonly sites: readonly FlowSite[],
    private readonly limitsPu: readonly [number, number],
    private readonly options: { maxIterations: number; tolerance: number; maxControlIter: number },
    coords: ReadonlyMap<string, { x: number; y: number }> = new Map(),
  ) {
    this.nodes = siteNodes(network, sites);
    this.solver = new SnapshotSolver(network);
    this.map = feederMap(network, coords);
    this.branchElements = branchElements(network, this.map);
  }

  private lastVoltages: { bus: string; vmagPu: number }[] = [];

  /** Buses of the last solution with a phase below `vPu`. */
  busesBelow(vPu: number): string[] {
    return [...new Set(this.lastVoltages.filter((v) => v.vmagPu < vPu).map((v) => v.bus))];
  }

  solve(startMs: number, netKw: readonly number[]): GridState {
    const injections = [];
    for (let i = 0; i < this.sites.length; i++) {
      const pf = this.sites[i].pf;
      const qKvar = -Math.max(0, -netKw[i]) * Math.sqrt(1 / (pf * pf) - 1);
      const share = this.nodes[i].length;
      for (const node of this.nodes[i])
        injections.push({ node, pW: (netKw[i] * 1000) / share, qVar: (qKvar * 1000) / share });
    }
    this.solver.setPowerInjections(injections);
    const stats = this.solver.solve({
      maxIterations: Math.max(this.options.maxIterations, 30),
      minIterations: 2,
      tolerance: this.options.tolerance,
      // the regulators walk from the last state's taps, a step per control iteration: on a long
      // feeder (IEEE 8500) a metered state far from the script's base case needs more than its 10
      maxControlIter: Math.max(this.options.maxControlIter, 30),
      controlMode: 'static',
    });
    const r = summarize(this.solver, stats);
    const [lo, hi] = this.limitsPu;
    let vMin = Number.POSITIVE_INFINITY;
    let vMax = 0;
    let violations = 0;
    let worst = 0;
    let worstNode: string | null = null;
    const low = new Set<string>();
    const high = new Set<string>();
    this.lastVoltages = [];
    for (const v of r.voltages) {
      if (!(v.vmagPu > 0) || v.phase < 1 || v.phase > 3) continue;
      this.lastVoltages.push({ bus: v.bus, vmagPu: v.vmagPu });
      vMin = Math.min(vMin, v.vmagPu);
      vMax = Math.max(vMax, v.vmagPu);
      const beyond = Math.max(lo - v.vmagPu, v.vmagPu - hi);
      if (beyond > 0) {
        violations++;
        (v.vmagPu < lo ? low : high).add(v.bus);
        if (beyond > worst) {
          worst = beyond;
          worstNode = `${v.bus}.${v.phase}`;
        }
      }
    }
    return {
      startMs,
      converged: stats.converged,
      minVoltagePu: vMin,
      maxVoltagePu: vMax,
      lossesKw: r.lossesKw,
      substationKw: r.substation.reduce((a, p) => a + p.kw, 0),
      violations,
      worstNode,
      lowBuses: [...low],
      highBuses: [...high],
      busVoltagesPu: busVoltagesPu(this.solver, this.map),
      branchLoadingPct: branchLoadingPct(this.solver, this.map, this.branchElements),
    };
  }
}
