import type { LinearModel } from '../../opt/index.js';
import type { MarketSettings, Order, Storage } from '../orders/index.js';
import { addBlock, linkBlocks } from './blocks.js';
import type { OrderLocation } from './resolve.js';
import { addGenerator, type Commitment } from './unit-commitment.js';

export interface Located {
  order: Order;
  at: OrderLocation;
  to?: OrderLocation;
}

/** One column of the LP that moves power at a location: an offer or bid step, a storage leg. */
export interface Injector {
  col: number;
  t: number;
  /** +1 injects (sells), −1 withdraws (buys) */
  sign: 1 | -1;
  at: OrderLocation;
  owner: number;
  /** which leg of a storage unit */
  leg?: 'charge' | 'discharge';
  /** kW per unit of the column (a commitment's minimum output, a block's profile); default 1 */
  scale?: number;
}

export const kwOf = (inj: Injector, x: ArrayLike<number>) => inj.sign * (inj.scale ?? 1) * x[inj.col];

export const activeIn = (o: Order, t: number) => !o.intervals || o.intervals.includes(t);

/** The orders' part of the market model, the same in every AC iteration. */
export interface OrderColumns {
  injectors: Injector[];
  /** state-of-charge columns per storage owner */
  socCols: Map<number, number[]>;
  commitments: Commitment[];
  /** row → the column a crash basis makes basic for it */
  keyCols: Map<number, number>;
}

/**
 * Adds every order's columns and own rows: offer and bid steps with their daily energy limits,
 * storage with its state of charge across intervals, three-part generators, blocks and their links.
 */
export function addOrderColumns(
  m: LinearModel,
  located: Located[],
  s: MarketSettings,
  T: number,
  hours: number,
): OrderColumns {
  const usd = (pricePerMWh: number) => (pricePerMWh * hours) / 1000;
  const injectors: Injector[] = [];
  const socCols = new Map<number, number[]>();
  const commitments: Commitment[] = [];
  const keyCols = new Map<number, number>();
  const blockCols = new Map<string, { accept: number; chosen: number }>();
  located.forEach(({ order, at }, owner) => {
    if (order.type === 'offer' || order.type === 'bid') {
      const sign = order.type === 'offer' ? 1 : -1;
      const cols: number[] = [];
      for (let t = 0; t < T; t++) {
        if (!activeIn(order, t)) continue;
        order.steps.forEach((st, j) => {
          const col = m.addVariable({
            name: `${order.id}_s${j}_t${t}`,
            upper: st.quantityKw,
            cost: sign * usd(st.price),
          });
          injectors.push({ col, t, sign, at, owner });
          cols.push(col);
        });
      }
      if (order.type === 'offer' && order.maxDailyEnergyKwh !== undefined) {
        m.addConstraint({
          name: `${order.id}_energy`,
          upper: order.maxDailyEnergyKwh,
          terms: cols.map((c): [number, number] => [c, hours]),
        });
      }
    } else if (order.type === 'storage') {
      socCols.set(owner, addStorage(m, order, at, owner, T, hours, injectors, keyCols));
    } else if (order.type === 'generator') {
      addGenerator(m, order, at, owner, T, hours, injectors, commitments, s.dayAhead?.commitments[order.id]);
    } else if (order.type === 'block') {
      blockCols.set(order.id, addBlock(m, order, at, owner, hours, injectors));
    }
  });
  linkBlocks(m, located, blockCols);
  return { injectors, socCols, commitments, keyCols };
}

/** Charge and discharge legs and the state of charge that links the intervals. */
function addStorage(
  m: LinearModel,
  order: Storage,
  at: OrderLocation,
  owner: number,
  T: number,
  hours: number,
  injectors: Injector[],
  keyCols: Map<number, number>,
): number[] {
  const socs: number[] = [];
  const cap = order.energyKwh;
  for (let t = 0; t < T; t++) {
    const active = activeIn(order, t);
    const ch = m.addVariable({ name: `${order.id}_ch_t${t}`, upper: active ? order.powerKw : 0 });
    const dis = m.addVariable({
      name: `${order.id}_dis_t${t}`,
      upper: active ? order.powerKw : 0,
      cost: (order.cyclingCost * hours) / 1000,
    });
    const soc = m.addVariable({
      name: `${order.id}_soc_t${t}`,
      lower: (order.minSocPct / 100) * cap,
      upper: (order.maxSocPct / 100) * cap,
    });
    injectors.push({ col: ch, t, sign: -1, at, owner, leg: 'charge' });
    injectors.push({ col: dis, t, sign: 1, at, owner, leg: 'discharge' });
    const terms: [number, number][] = [
      [soc, 1],
      [ch, -order.chargeEfficiency * hours],
      [dis, hours / order.dischargeEfficiency],
    ];
    if (t > 0) terms.push([socs[t - 1], -1]);
    const rhs = t === 0 ? (order.initialSocPct / 100) * cap : 0;
    keyCols.set(m.addConstraint({ name: `${order.id}_soc_t${t}`, lower: rhs, upper: rhs, terms }), soc);
    socs.push(soc);
  }
  return socs;
}
