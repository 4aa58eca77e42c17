import { type CMatrix, LdlSymbolic, SparseLdl } from '../../linalg/index.js';
import type { Network } from '../model/index.js';

/** The sparsity analysis of a network's admittance matrix and where each primitive entry lands. */
interface YbusPattern {
  symbolic: LdlSymbolic;
  /** per element: for each (a, b) conductor pair, the slot in the sparse values or −1 */
  slots: Int32Array[];
}

// One analysis per network, shared by the zero-load and the full matrix and by every re-solve.
const patterns = new WeakMap<Network, YbusPattern>();

function patternOf(network: Network): YbusPattern {
  let p = patterns.get(network);
  if (p) return p;
  const edges: number[] = [];
  for (const map of network.conductorNodes) {
    for (let a = 0; a < map.length; a++) {
      if (map[a] < 0) continue;
      for (let b = a + 1; b < map.length; b++)
        if (map[b] >= 0 && map[b] !== map[a]) edges.push(map[a], map[b]);
    }
  }
  const symbolic = new LdlSymbolic(network.nodes.length, edges);
  const slots = network.conductorNodes.map((map) => {
    const n = map.length;
    const s = new Int32Array(n * n).fill(-1);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        const i = map[a];
        const j = map[b];
        if (i < 0 || j < 0 || i > j) continue;
        s[a * n + b] = symbolic.slot(i, j);
      }
    return s;
  });
  p = { symbolic, slots };
  patterns.set(network, p);
  return p;
}

/**
 * The nodal admittance matrix of a network, factorized. Element primitives are cached and
 * restamped; only elements marked dirty (a tap or a capacitor step moved) are recomputed.
 */
export class Ybus {
  readonly ldl: SparseLdl;
  readonly yprims: CMatrix[];
  private readonly slots: Int32Array[];
  private readonly series: boolean;

  constructor(
    readonly network: Network,
    series = false,
  ) {
    this.series = series;
    const pattern = patternOf(network);
    this.ldl = new SparseLdl(pattern.symbolic);
    this.slots = pattern.slots;
    this.yprims = network.elements.map((el) => (series ? el.yprimSeries() : el.yprim()));
    this.assemble();
  }

  /**
   * Swaps in the new primitives of the given elements (their old contribution is taken out,
   * the new one added) and refactors; the rest of the matrix is untouched.
   */
  update(elementIndices: Iterable<number>): void {
    for (const e of elementIndices) {
      this.stamp(e, -1);
      const el = this.network.elements[e];
      this.yprims[e] = this.series ? el.yprimSeries() : el.yprim();
      this.stamp(e, 1);
    }
    this.ldl.factor((i) => `bus ${this.network.nodeName(i)}`);
  }

  private stamp(e: number, sign: 1 | -1): void {
    const v = this.ldl.val;
    const y = this.yprims[e];
    const s = this.slots[e];
    for (let k = 0; k < s.length; k++) {
      const slot = s[k];
      if (slot < 0) continue;
      v[2 * slot] += sign * y.re[k];
      v[2 * slot + 1] += sign * y.im[k];
    }
  }

  private assemble(): void {
    this.ldl.clearValues();
    for (let e = 0; e < this.yprims.length; e++) this.stamp(e, 1);
    this.ldl.factor((i) => `bus ${this.network.nodeName(i)}`);
  }

  solve(bRe: Float64Array, bIm: Float64Array, xRe: Float64Array, xIm: Float64Array): void {
    this.ldl.solve(bRe, bIm, xRe, xIm);
  }

  /** Entry (i, i) of Y⁻¹, [re, im]: node i's driving-point impedance to ground, ohms. */
  inverseDiagonal(i: number): [number, number] {
    return this.ldl.inverseDiagonal(i);
  }
}
