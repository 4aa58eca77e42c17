import { TopologyError } from '../../errors/index.js';
import type { CapacitorControl, RegulatorControl } from './controls.js';
import type { NetworkElement } from './element.js';
import type { LoadElement } from './load.js';
import type { VsourceElement } from './vsource.js';

/** One bus node: a phase (or neutral) conductor at a bus. */
export interface NodeRef {
  bus: number;
  /** OpenDSS node number (1, 2, 3, 4 …) */
  node: number;
}

export interface NetworkInput {
  elements: NetworkElement[];
  regulators: RegulatorControl[];
  capControls: CapacitorControl[];
  /** L-N base kV per bus name, where known */
  busBaseKvLn: ReadonlyMap<string, number>;
  /** buses that may be left without a source because an element to them is open or disabled */
  openEnds: ReadonlySet<string>;
}

/**
 * The solvable network: buses and nodes numbered in the order elements reach them (as
 * OpenDSS numbers them), every element's conductors mapped to node indices (−1 = ground
 * or a de-energized bus), sources and loads at hand for the solver.
 */
export class Network {
  readonly buses: string[] = [];
  readonly busIndex = new Map<string, number>();
  /** node indices of each bus in the order they were first connected */
  readonly busNodes: number[][] = [];
  readonly nodes: NodeRef[] = [];
  readonly elements: NetworkElement[];
  /** per element: conductor → node index, −1 for ground */
  readonly conductorNodes: Int32Array[];
  readonly sources: VsourceElement[] = [];
  readonly loads: LoadElement[] = [];
  readonly regulators: RegulatorControl[];
  readonly capControls: CapacitorControl[];
  /** L-N base volts per node, 0 when unknown */
  readonly nodeBaseV: Float64Array;
  readonly busBaseKvLn: Float64Array;
  /** buses with no path to a source (behind an open switch) */
  readonly deenergizedBuses: string[] = [];
  readonly elementById = new Map<string, NetworkElement>();

  constructor(input: NetworkInput) {
    this.elements = input.elements;
    this.regulators = input.regulators;
    this.capControls = input.capControls;
    const energized = this.findEnergized(input);
    const nodeKey = new Map<string, number>();
    this.conductorNodes = this.elements.map((el) => {
      const map = new Int32Array(el.terminals.length * el.condsPerTerminal).fill(-1);
      el.terminals.forEach((t, ti) => {
        const b = this.addBus(t.bus);
        if (!energized.has(t.bus)) return;
        for (let c = 0; c < el.condsPerTerminal; c++) {
          const node = t.nodes[c];
          if (node === undefined || node === 0) continue;
          const key = `${b}.${node}`;
          let idx = nodeKey.get(key);
          if (idx === undefined) {
            idx = this.nodes.length;
            this.nodes.push({ bus: b, node });
            nodeKey.set(key, idx);
            this.busNodes[b].push(idx);
          }
          map[ti * el.condsPerTerminal + c] = idx;
        }
      });
      return map;
    });
    for (const el of this.elements) {
      this.elementById.set(el.id.toLowerCase(), el);
      if (el.kind === 'vsource') this.sources.push(el as VsourceElement);
      if (el.kind === 'load') this.loads.push(el as LoadElement);
    }
    for (const b of this.buses) if (!energized.has(b)) this.deenergizedBuses.push(b);
    this.busBaseKvLn = Float64Array.from(this.buses, (b) => input.busBaseKvLn.get(b) ?? 0);
    this.nodeBaseV = Float64Array.from(this.nodes, (n) => this.busBaseKvLn[n.bus] * 1000);
  }

  private addBus(name: string): number {
    let b = this.busIndex.get(name);
    if (b === undefined) {
      b = this.buses.length;
      this.buses.push(name);
      this.busIndex.set(name, b);
      this.busNodes.push([]);
    }
    return b;
  }

  /**
   * Buses reachable from a source through series elements. A bus that cannot be reached is
   * an error unless something to it was opened or disabled; then it is de-energized.
   */
  private findEnergized(input: NetworkInput): Set<string> {
    const adj = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      if (!adj.has(a)) adj.set(a, new Set());
      if (!adj.has(b)) adj.set(b, new Set());
      adj.get(a)!.add(b);
      adj.get(b)!.add(a);
    };
    const referencedBy = new Map<string, string>();
    const starts: string[] = [];
    for (const el of input.elements) {
      for (const t of el.terminals) if (!referencedBy.has(t.bus)) referencedBy.set(t.bus, el.id);
      if (el.kind === 'vsource') starts.push(el.terminals[0].bus);
      const open = (el as { openTerminals?: number[] }).openTerminals ?? [];
      const closed = el.terminals.filter((_, i) => !open.includes(i));
      for (let i = 1; i < closed.length; i++) link(closed[0].bus, closed[i].bus);
    }
    const seen = new Set<string>(starts);
    const queue = [...starts];
    while (queue.length > 0) {
      const b = queue.pop()!;
      for (const nb of adj.get(b) ?? []) {
        if (seen.has(nb)) continue;
        seen.add(nb);
        queue.push(nb);
      }
    }
    // what hangs behind an open or disabled element is de-energized, not an error
    const dead = new Set<string>();
    const deadQueue = [...input.openEnds].filter((b) => !seen.has(b));
    for (const b of deadQueue) dead.add(b);
    while (deadQueue.length > 0) {
      const b = deadQueue.pop()!;
      for (const nb of adj.get(b) ?? []) {
        if (seen.has(nb) || dead.has(nb)) continue;
        dead.add(nb);
        deadQueue.push(nb);
      }
    }
    for (const [bus, elementId] of referencedBy) {
      if (seen.has(bus) || dead.has(bus)) continue;
      if (starts.length === 0) {
        throw new TopologyError('the circuit has no voltage source', { location: { element: elementId } });
      }
      throw new TopologyError(`bus "${bus}" is not connected to any source (it is used by ${elementId})`, {
        location: { element: elementId },
        details: { bus },
      });
    }
    return seen;
  }

  nodeName(i: number): string {
    const n = this.nodes[i];
    return `${this.buses[n.bus]}.${n.node}`;
  }
}
