import type { Network } from '../model/index.js';

/** Node voltages of a network and the helpers every part of a solution needs. */
export class NodeVoltages {
  readonly re: Float64Array;
  readonly im: Float64Array;

  constructor(readonly network: Network) {
    this.re = new Float64Array(network.nodes.length);
    this.im = new Float64Array(network.nodes.length);
  }

  /** Conductor voltages of element e into the given arrays (ground and dead buses are 0). */
  gather(e: number, outRe: Float64Array, outIm: Float64Array): void {
    const map = this.network.conductorNodes[e];
    for (let k = 0; k < map.length; k++) {
      const i = map[k];
      outRe[k] = i >= 0 ? this.re[i] : 0;
      outIm[k] = i >= 0 ? this.im[i] : 0;
    }
  }
}

/** Conductor currents into an element's terminals, I = Yprim·V, for passive elements. */
export function elementCurrents(
  yRe: Float64Array,
  yIm: Float64Array,
  vRe: Float64Array,
  vIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  const n = vRe.length;
  for (let i = 0; i < n; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const ar = yRe[i * n + j];
      const ai = yIm[i * n + j];
      sr += ar * vRe[j] - ai * vIm[j];
      si += ar * vIm[j] + ai * vRe[j];
    }
    outRe[i] = sr;
    outIm[i] = si;
  }
}
