import { type CMatrix, SparseLdl } from '../../linalg/index.js';
import type { Network } from '../model/index.js';

/**
 * The nodal admittance matrix of a network, factorized. Element primitives are cached and
 * restamped; only elements marked dirty (a tap or a capacitor step moved) are recomputed.
 */
export class Ybus {
  readonly ldl: SparseLdl;
  readonly yprims: CMatrix[];
  /** per element: for each (a, b) conductor pair, the slot in the sparse values or −1 */
  private readonly slots: Int32Array[];
  private readonly series: boolean;

  constructor(
    readonly network: Network,
    series = false,
  ) {
    this.series = series;
    const edges: number[] = [];
    for (const map of network.conductorNodes) {
      const idx = [...new Set([...map].filter((i) => i >= 0))];
      for (let a = 0; a < idx.length; a++)
        for (let b = a + 1; b < idx.length; b++) edges.push(idx[a], idx[b]);
    }
    this.ldl = new SparseLdl(network.nodes.length, edges);
    this.yprims = network.elements.map((el) => (series ? el.yprimSeries() : el.yprim()));
    this.slots = network.conductorNodes.map((map) => {
      const n = map.length;
      const s = new Int32Array(n * n).fill(-1);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const i = map[a];
          const j = map[b];
          if (i < 0 || j < 0 || i > j) continue;
          s[a * n + b] = this.ldl.slot(i, j);
        }
      return s;
    });
    this.assemble();
  }

  /** Recomputes the primitives of the given elements and refactors. */
  update(elementIndices: Iterable<number>): void {
    for (const e of elementIndices) {
      const el = this.network.elements[e];
      this.yprims[e] = this.series ? el.yprimSeries() : el.yprim();
    }
    this.assemble();
  }

  private assemble(): void {
    const ldl = this.ldl;
    ldl.clearValues();
    const vr = ldl.valRe;
    const vi = ldl.valIm;
    for (let e = 0; e < this.yprims.length; e++) {
      const y = this.yprims[e];
      const s = this.slots[e];
      for (let k = 0; k < s.length; k++) {
        const slot = s[k];
        if (slot < 0) continue;
        vr[slot] += y.re[k];
        vi[slot] += y.im[k];
      }
    }
    ldl.factor((i) => this.network.nodeName(i));
  }

  solve(bRe: Float64Array, bIm: Float64Array, xRe: Float64Array, xIm: Float64Array): void {
    this.ldl.solve(bRe, bIm, xRe, xIm);
  }
}
