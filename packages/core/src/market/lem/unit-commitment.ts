import type { LinearModel } from '../../opt/index.js';
import type { Generator } from '../orders/index.js';
import type { Injector } from './order-columns.js';
import type { OrderLocation } from './resolve.js';

/** A committed unit's columns: on/off per interval and what its offer costs per unit of each column. */
export interface Commitment {
  owner: number;
  uCols: number[];
  costCols: [number, number][];
}

/**
 * A three-part generator: on/off u, start-up v and shut-down w per interval with
 * u_t − u_{t−1} = v_t − w_t; output pMin·u + Σ steps, each step ≤ its size·u; ramps with a
 * start-up or shut-down allowance; minimum up and down times as windows over v and w; an
 * optional daily energy limit.
 */
export function addGenerator(
  m: LinearModel,
  g: Generator,
  at: OrderLocation,
  owner: number,
  T: number,
  hours: number,
  injectors: Injector[],
  commitments: Commitment[],
  fixedOn: 0 | 1 | undefined,
): void {
  const usd = (price: number) => (price * hours) / 1000;
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  const outputTerms: [number, number][][] = [];
  const costCols: [number, number][] = [];
  for (let t = 0; t < T; t++) {
    const active = !g.intervals || g.intervals.includes(t);
    const ut = m.addVariable({
      name: `${g.id}_on_t${t}`,
      // a real-time market keeps the day-ahead commitment
      lower: fixedOn ?? 0,
      upper: active ? (fixedOn ?? 1) : 0,
      integer: true,
      cost: g.noLoadCostPerHour * hours + usd(g.minimumPrice) * g.pMinKw,
    });
    const vt = m.addVariable({ name: `${g.id}_start_t${t}`, upper: 1, cost: g.startupCost });
    const wt = m.addVariable({ name: `${g.id}_stop_t${t}`, upper: 1 });
    costCols.push([ut, g.noLoadCostPerHour * hours + usd(g.minimumPrice) * g.pMinKw], [vt, g.startupCost]);
    u.push(ut);
    v.push(vt);
    w.push(wt);
    if (g.pMinKw > 0) injectors.push({ col: ut, t, sign: 1, at, owner, scale: g.pMinKw });
    const terms: [number, number][] = [[ut, g.pMinKw]];
    g.steps.forEach((st, j) => {
      const q = m.addVariable({ name: `${g.id}_s${j}_t${t}`, upper: st.quantityKw, cost: usd(st.price) });
      costCols.push([q, usd(st.price)]);
      m.addConstraint({
        name: `${g.id}_s${j}_t${t}_on`,
        upper: 0,
        terms: [
          [q, 1],
          [ut, -st.quantityKw],
        ],
      });
      injectors.push({ col: q, t, sign: 1, at, owner });
      terms.push([q, 1]);
    });
    outputTerms.push(terms);
    const was = t === 0 ? (g.initiallyOn ? 1 : 0) : undefined;
    m.addConstraint({
      name: `${g.id}_transition_t${t}`,
      lower: was ?? 0,
      upper: was ?? 0,
      terms:
        t === 0
          ? [
              [ut, 1],
              [vt, -1],
              [wt, 1],
            ]
          : [
              [ut, 1],
              [u[t - 1], -1],
              [vt, -1],
              [wt, 1],
            ],
    });
    // ramps between consecutive outputs, relaxed by pMax on the interval a unit starts or stops
    const prev = t === 0 ? undefined : outputTerms[t - 1];
    const initial = t === 0 ? g.initialKw : 0;
    if (g.rampUpKwPerHour !== undefined) {
      m.addConstraint({
        name: `${g.id}_rampup_t${t}`,
        upper: g.rampUpKwPerHour * hours + initial,
        terms: [...terms, ...(prev ?? []).map(([c, a]): [number, number] => [c, -a]), [vt, -g.pMaxKw]],
      });
    }
    if (g.rampDownKwPerHour !== undefined) {
      m.addConstraint({
        name: `${g.id}_rampdown_t${t}`,
        upper: g.rampDownKwPerHour * hours - initial,
        terms: [...terms.map(([c, a]): [number, number] => [c, -a]), ...(prev ?? []), [wt, -g.pMaxKw]],
      });
    }
    const up = Math.ceil(g.minUpHours / hours - 1e-9);
    const down = Math.ceil(g.minDownHours / hours - 1e-9);
    if (up > 1) {
      const window = v.slice(Math.max(0, t - up + 1));
      m.addConstraint({
        name: `${g.id}_minup_t${t}`,
        upper: 0,
        terms: [...window.map((c): [number, number] => [c, 1]), [ut, -1]],
      });
    }
    if (down > 1) {
      const window = w.slice(Math.max(0, t - down + 1));
      m.addConstraint({
        name: `${g.id}_mindown_t${t}`,
        upper: 1,
        terms: [...window.map((c): [number, number] => [c, 1]), [ut, 1]],
      });
    }
  }
  if (g.maxDailyEnergyKwh !== undefined) {
    m.addConstraint({
      name: `${g.id}_energy`,
      upper: g.maxDailyEnergyKwh,
      terms: outputTerms.flat().map(([c, a]): [number, number] => [c, a * hours]),
    });
  }
  commitments.push({ owner, uCols: u, costCols });
}
