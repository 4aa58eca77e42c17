import { TopologyError } from '../../errors/index.js';
import type { CapacitorControl, InverterControl, RegulatorControl } from './controls.js';
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
  regulators: RegulatorControl[] = [];
  capControls: CapacitorControl[] = [];
  invControls: InverterControl[] = [];
  /** L-N base volts per node, 0 when unknown */
  nodeBaseV: Float64Array;
  busBaseKvLn: Float64Array;
  /** buses with no path to a source (behind an open switch) */
  readonly deenergizedBuses: string[] = [];
  readonly elementById = new Map<string, NetworkElement>();

  constructor(input: NetworkInput) {
    this.elements = input.elements;
    const termBus = this.elements.map((el) => el.terminals.map((t) => this.addBus(t.bus)));
    const energized = this.findEnergized(input, termBus);
    // node key: bus index and node number packed in one integer
    const nodeKey = new Map<number, number>();
    this.conductorNodes = this.elements.map((el, e) => {
      const nc = el.condsPerTerminal;
      const map = new Int32Array(el.terminals.length * nc).fill(-1);
      el.terminals.forEach((t, ti) => {
        const b = termBus[e][ti];
        if (!energized[b]) return;
        for (let c = 0; c < nc; c++) {
          const node = t.nodes[c];
          if (node === undefined || node === 0) continue;
          const key = b * 4096 + node;
          let idx = nodeKey.get(key);
          if (idx === undefined) {
            idx = this.nodes.length;
            this.nodes.push({ bus: b, node });
            nodeKey.set(key, idx);
            this.busNodes[b].push(idx);
          }
          map[ti * nc + c] = idx;
        }
      });
      return map;
    });
    for (const el of this.elements) {
      this.elementById.set(el.id.toLowerCase(), el);
      if (el.kind === 'vsource') this.sources.push(el as VsourceElement);
      if (el.kind === 'load') this.loads.push(el as LoadElement);
    }
    this.buses.forEach((b, i) => {
      if (!energized[i]) this.deenergizedBuses.push(b);
    });
    this.busBaseKvLn = new Float64Array(this.buses.length);
    this.nodeBaseV = new Float64Array(this.nodes.length);
    this.applyBusBases(input.busBaseKvLn);
  }

  setControls(controls: {
    regulators: RegulatorControl[];
    capControls: CapacitorControl[];
    invControls?: InverterControl[];
  }): void {
    this.regulators = controls.regulators;
    this.capControls = controls.capControls;
    this.invControls = controls.invControls ?? [];
  }

  /** Sets the line-to-neutral base of every bus (kV), e.g. after CalcVoltageBases. */
  applyBusBases(basesKvLn: ReadonlyMap<string, number>): void {
    this.busBaseKvLn = Float64Array.from(this.buses, (b) => basesKvLn.get(b) ?? 0);
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
   * Buses reachable from a source through elements with more than one closed terminal.
   * A bus that cannot be reached is an error unless something to it was opened or
   * disabled; then it and what hangs behind it are de-energized.
   */
  private findEnergized(input: NetworkInput, termBus: number[][]): Uint8Array {
    const nb = this.buses.length;
    const adj: number[][] = Array.from({ length: nb }, () => []);
    const referencedBy = new Int32Array(nb).fill(-1);
    const starts: number[] = [];
    this.elements.forEach((el, e) => {
      const buses = termBus[e];
      for (const b of buses) if (referencedBy[b] < 0) referencedBy[b] = e;
      if (el.kind === 'vsource') starts.push(buses[0]);
      const open = (el as { openTerminals?: number[] }).openTerminals ?? [];
      const closed = buses.filter((_, i) => !open.includes(i));
      for (let i = 1; i < closed.length; i++) {
        if (closed[i] === closed[0]) continue;
        adj[closed[0]].push(closed[i]);
        adj[closed[i]].push(closed[0]);
      }
    });
    const spread = (seed: number[], state: Uint8Array, blocked: Uint8Array) => {
      const queue = seed.filter((b) => !blocked[b]);
      for (const b of queue) state[b] = 1;
      while (queue.length > 0) {
        const b = queue.pop()!;
        for (const x of adj[b]) {
          if (state[x] || blocked[x]) continue;
          state[x] = 1;
          queue.push(x);
        }
      }
    };
    const energized = new Uint8Array(nb);
    spread(starts, energized, new Uint8Array(nb));
    // what hangs behind an open or disabled element is de-energized, not an error
    const dead = new Uint8Array(nb);
    const openEnds = [...input.openEnds].map((b) => this.busIndex.get(b)).filter((b) => b !== undefined);
    spread(openEnds, dead, energized);
    for (let b = 0; b < nb; b++) {
      if (energized[b] || dead[b]) continue;
      const elementId = this.elements[referencedBy[b]].id;
      if (starts.length === 0) {
        throw new TopologyError('the circuit has no voltage source', { location: { element: elementId } });
      }
      throw new TopologyError(
        `bus "${this.buses[b]}" is not connected to any source (it is used by ${elementId})`,
        {
          location: { element: elementId },
          details: { bus: this.buses[b] },
        },
      );
    }
    return energized;
  }

  nodeName(i: number): string {
    const n = this.nodes[i];
    return `${this.buses[n.bus]}.${n.node}`;
  }
}
