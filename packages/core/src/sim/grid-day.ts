import { InvalidValueError } from '../errors/index.js';
import { buildNetwork, type DssCircuitState } from '../grid/dss/index.js';
import type { Network } from '../grid/model/index.js';
import { SnapshotSolver, summarize } from '../grid/powerflow/index.js';
import type { ProsumerSite } from './inventory.js';
import { type SiteDay, STEPS } from './profiles.js';

/** The AC state of every five-minute step: voltage extremes, losses, violations. */
export interface GridDay {
  minVoltagePu: Float64Array;
  maxVoltagePu: Float64Array;
  lossesKw: Float64Array;
  substationKw: Float64Array;
  /** node-steps outside the voltage limits */
  violations: number;
  worstNode: string;
  converged: number;
}

/**
 * Where each site injects: the feeder's own loads carry the sites' base demand at base load, so
 * the day is solved with those loads off and every site's actual net power (PV, battery, its
 * whole demand) injected at its bus and phases, split equally, with its power factor.
 */
export function siteNodes(network: Network, sites: readonly ProsumerSite[]): number[][] {
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

/** The feeder with its own loads switched off (they are the sites' base demand); solved in place by solveGridDay. */
export function feederWithoutLoads(state: DssCircuitState): Network {
  const saved = state.options.loadMult;
  state.options.loadMult = 0;
  try {
    const net = buildNetwork(state);
    net.applyBusBases(state.busBaseKvLn);
    return net;
  } finally {
    state.options.loadMult = saved;
  }
}

export function solveGridDay(
  state: DssCircuitState,
  network: Network,
  sites: readonly ProsumerSite[],
  days: readonly SiteDay[],
  limitsPu: readonly [number, number],
  onStep?: (step: number) => void,
): GridDay {
  const nodes = siteNodes(network, sites);
  const solver = new SnapshotSolver(network);
  const out: GridDay = {
    minVoltagePu: new Float64Array(STEPS),
    maxVoltagePu: new Float64Array(STEPS),
    lossesKw: new Float64Array(STEPS),
    substationKw: new Float64Array(STEPS),
    violations: 0,
    worstNode: '',
    converged: 0,
  };
  let worst = 0;
  const options = {
    maxIterations: Math.max(state.options.maxIterations, 30),
    minIterations: 2,
    tolerance: state.options.tolerance,
    maxControlIter: state.options.maxControlIter,
    controlMode: 'static' as const,
  };
  for (let k = 0; k < STEPS; k++) {
    const injections = [];
    for (let i = 0; i < sites.length; i++) {
      const d = days[i];
      const pf = sites[i].pf;
      const qKvar = -d.loadKw[k] * Math.sqrt(1 / (pf * pf) - 1);
      const share = nodes[i].length;
      for (const node of nodes[i])
        injections.push({ node, pW: (d.netKw[k] * 1000) / share, qVar: (qKvar * 1000) / share });
    }
    solver.setPowerInjections(injections);
    const stats = solver.solve(options);
    if (stats.converged) out.converged++;
    const r = summarize(solver, stats);
    out.lossesKw[k] = r.lossesKw;
    out.substationKw[k] = r.substation.reduce((a, p) => a + p.kw, 0);
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const v of r.voltages) {
      if (!(v.vmagPu > 0) || v.phase < 1 || v.phase > 3) continue;
      lo = Math.min(lo, v.vmagPu);
      hi = Math.max(hi, v.vmagPu);
      const beyond = Math.max(limitsPu[0] - v.vmagPu, v.vmagPu - limitsPu[1]);
      if (beyond > 0) {
        out.violations++;
        if (beyond > worst) {
          worst = beyond;
          out.worstNode = `${v.bus}.${v.phase}`;
        }
      }
    }
    out.minVoltagePu[k] = lo;
    out.maxVoltagePu[k] = hi;
    onStep?.(k);
  }
  return out;
}
