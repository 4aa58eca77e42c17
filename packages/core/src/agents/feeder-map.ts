import type { Network } from '../grid/model/index.js';
import { elementCurrents, type SnapshotSolver } from '../grid/powerflow/index.js';
import type { FeederMap } from './ports.js';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The feeder as a map for people: every bus with its phases (1–3) and coordinates where the
 * script's BusCoords gave them, every line and transformer between two buses with its rating.
 */
export function feederMap(
  network: Network,
  coords: ReadonlyMap<string, { x: number; y: number }>,
): FeederMap {
  const buses = network.buses.map((name, b) => {
    const xy = coords.get(name.toLowerCase());
    const phases = network.busNodes[b].map((i) => network.nodes[i].node).filter((p) => p >= 1 && p <= 3);
    return { name, phases: phases.sort((a, c) => a - c), x: xy?.x ?? null, y: xy?.y ?? null };
  });
  const branches: FeederMap['branches'] = [];
  network.elements.forEach((el) => {
    if (!el.isSeries || el.terminals.length < 2) return;
    const from = network.busIndex.get(el.terminals[0].bus.toLowerCase());
    const to = network.busIndex.get(el.terminals[1].bus.toLowerCase());
    if (from === undefined || to === undefined || from === to) return;
    const normAmps = (el as { normAmps?: number }).normAmps ?? 0;
    branches.push({ name: el.id, from, to, normAmps });
  });
  return { buses, branches };
}

/** Which element each branch of the map is, so a solution's currents can be read per branch. */
export function branchElements(network: Network, map: FeederMap): number[] {
  const byId = new Map(network.elements.map((el, e) => [el.id, e]));
  return map.branches.map((b) => byId.get(b.name)!);
}

/** Phase voltages of every bus of the map, pu (4 decimals), from a solved network. */
export function busVoltagesPu(solver: SnapshotSolver, map: FeederMap): number[][] {
  const net = solver.network;
  const { re, im } = solver.voltages;
  return map.buses.map((bus, b) =>
    bus.phases.map((p) => {
      const i = net.busNodes[b].find((k) => net.nodes[k].node === p)!;
      const base = net.nodeBaseV[i];
      return base > 0 ? round(Math.hypot(re[i], im[i]) / base, 4) : 0;
    }),
  );
}

/** Each branch's highest conductor current at its first terminal over its normal rating, % (1 decimal). */
export function branchLoadingPct(
  solver: SnapshotSolver,
  map: FeederMap,
  elements: readonly number[],
): number[] {
  const net = solver.network;
  const { re, im } = solver.voltages;
  return map.branches.map((b, k) => {
    const e = elements[k];
    if (!(b.normAmps > 0)) return 0;
    const nodes = net.conductorNodes[e];
    const vr = Float64Array.from(nodes, (i) => (i >= 0 ? re[i] : 0));
    const vi = Float64Array.from(nodes, (i) => (i >= 0 ? im[i] : 0));
    const ir = new Float64Array(nodes.length);
    const ii = new Float64Array(nodes.length);
    const y = solver.y.yprims[e];
    elementCurrents(y.re, y.im, vr, vi, ir, ii);
    let most = 0;
    for (let c = 0; c < net.elements[e].condsPerTerminal; c++)
      most = Math.max(most, Math.hypot(ir[c], ii[c]));
    return round((100 * most) / b.normAmps, 1);
  });
}
