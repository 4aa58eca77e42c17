import { LineElement, TransformerElement } from '../../grid/model/index.js';
import { elementCurrents } from '../../grid/powerflow/index.js';
import type { IntervalFlow } from './interval-flow.js';

/** A grid limit the market must respect: a branch conductor's current or a node's voltage. */
export type GridLimit =
  | { kind: 'current'; key: string; name: string; element: number; conductor: number; limit: number }
  | { kind: 'vmin' | 'vmax'; key: string; name: string; node: number; limit: number };

export interface ScanResult {
  /** limits that are violated or within the critical margin */
  critical: GridLimit[];
  violations: number;
  /** the limits exceeded, with the value found */
  violated: { name: string; value: number; limit: number }[];
  maxLoading: number;
  minVoltagePu: number;
  maxVoltagePu: number;
}

/** Branch loading beyond which a current counts as violated: within 0.2 % is what the linearization leaves. */
const VIOLATION_LOADING = 1.002;

/** Work buffers for conductorCurrents, grown to the largest element seen. */
const scratch = {
  vr: new Float64Array(16),
  vi: new Float64Array(16),
  ir: new Float64Array(16),
  ii: new Float64Array(16),
};

/** Current magnitude, amperes, into every conductor of element e. */
export function conductorCurrents(flow: IntervalFlow, e: number): Float64Array {
  const map = flow.network.conductorNodes[e];
  const n = map.length;
  if (scratch.vr.length < n)
    for (const k of ['vr', 'vi', 'ir', 'ii'] as const) scratch[k] = new Float64Array(2 * n);
  const { re, im } = flow.solver.voltages;
  // views of the first n entries: the element's arrays as elementCurrents expects them
  const vr = scratch.vr.subarray(0, n);
  const vi = scratch.vi.subarray(0, n);
  const ir = scratch.ir.subarray(0, n);
  const ii = scratch.ii.subarray(0, n);
  for (let k = 0; k < n; k++) {
    const i = map[k];
    vr[k] = i >= 0 ? re[i] : 0;
    vi[k] = i >= 0 ? im[i] : 0;
  }
  const y = flow.solver.y.yprims[e];
  elementCurrents(y.re, y.im, vr, vi, ir, ii);
  const amps = new Float64Array(n);
  for (let k = 0; k < n; k++) amps[k] = Math.hypot(ir[k], ii[k]);
  return amps;
}

/**
 * Checks an interval's AC solution against branch ampacities (lines and transformers' first
 * winding) and voltage limits on phase nodes; a branch loaded beyond `criticalLoading`, or a
 * voltage within 0.002 pu of its limit, is critical. A line conductor is represented by its more
 * loaded end; the other end is critical only while violated with that one already `known`.
 */
export function scanLimits(
  flow: IntervalFlow,
  vLimits: [number, number],
  criticalLoading: number,
  known: (key: string) => boolean = () => false,
): ScanResult {
  const net = flow.network;
  const critical: GridLimit[] = [];
  const violated: ScanResult['violated'] = [];
  let violations = 0;
  let maxLoading = 0;
  net.elements.forEach((el, e) => {
    let limit = 0;
    let terminals = 0;
    if (el instanceof LineElement && !el.isSwitch) {
      limit = el.normAmps;
      terminals = 2;
    } else if (el instanceof TransformerElement) {
      limit = el.normAmps;
      terminals = 1;
    }
    if (!(limit > 0)) return;
    const amps = conductorCurrents(flow, e);
    const phases = el instanceof TransformerElement ? el.phases : el.condsPerTerminal;
    for (let c = 0; c < phases; c++) {
      // a line's two ends differ by its charging current only: the more loaded end stands for
      // the conductor, and the other joins only if it is still over the limit once that one is in
      let worst = -1;
      for (let t = 0; t < terminals; t++) {
        const k = t * el.condsPerTerminal + c;
        if (net.conductorNodes[e][k] < 0) continue;
        const loading = amps[k] / limit;
        maxLoading = Math.max(maxLoading, loading);
        if (loading > VIOLATION_LOADING) {
          violations++;
          violated.push({
            name: `${el.id} terminal ${t + 1} conductor ${c + 1} current`,
            value: amps[k],
            limit,
          });
        }
        if (worst < 0 || loading > amps[worst] / limit) worst = k;
      }
      for (let t = 0; t < terminals; t++) {
        const k = t * el.condsPerTerminal + c;
        if (net.conductorNodes[e][k] < 0) continue;
        const loading = amps[k] / limit;
        const isCritical =
          k === worst ? loading >= criticalLoading : loading > VIOLATION_LOADING && known(`i:${e}:${worst}`);
        if (isCritical) {
          critical.push({
            kind: 'current',
            key: `i:${e}:${k}`,
            name: `${el.id} terminal ${t + 1} conductor ${c + 1} current`,
            element: e,
            conductor: k,
            limit,
          });
        }
      }
    }
  });
  const [vmin, vmax] = vLimits;
  // a voltage joins the critical set when it comes within 0.002 pu of a limit
  const margin = 0.002;
  const { re, im } = flow.solver.voltages;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  net.nodes.forEach((n, i) => {
    const base = net.nodeBaseV[i];
    if (!(base > 0) || n.node < 1 || n.node > 3) return;
    const pu = Math.hypot(re[i], im[i]) / base;
    lo = Math.min(lo, pu);
    hi = Math.max(hi, pu);
    const name = `${net.nodeName(i)} voltage`;
    if (pu < vmin - 1e-3 || pu > vmax + 1e-3) {
      violations++;
      violated.push({
        name: `${name} ${pu < vmin ? 'min' : 'max'}`,
        value: pu,
        limit: pu < vmin ? vmin : vmax,
      });
    }
    if (pu < vmin + margin)
      critical.push({ kind: 'vmin', key: `vmin:${i}`, name: `${name} min`, node: i, limit: vmin });
    if (pu > vmax - margin)
      critical.push({ kind: 'vmax', key: `vmax:${i}`, name: `${name} max`, node: i, limit: vmax });
  });
  return { critical, violations, violated, maxLoading, minVoltagePu: lo, maxVoltagePu: hi };
}
