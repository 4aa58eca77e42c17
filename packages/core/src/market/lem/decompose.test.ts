import { beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { demoFeeder, stateOf } from './test-support.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

/** Four hours of step offers and bids, one of them only in two hours: nothing ties the hours. */
const doc = {
  market: 'dam',
  intervals: 4,
  isoPrices: [25, 40, 90, 55],
  loadMultipliers: [0.6, 0.9, 1.2, 0.8],
  orders: [
    {
      id: 'chp',
      type: 'offer',
      participant: 'c',
      bus: 'n2',
      steps: [
        { price: 45, quantityKw: 500 },
        { price: 70, quantityKw: 300 },
      ],
    },
    {
      id: 'pv',
      type: 'offer',
      participant: 'p',
      bus: 'n6',
      steps: [{ price: 0, quantityKw: 250 }],
      intervals: [1, 2],
    },
    {
      id: 'flex',
      type: 'bid',
      participant: 'f',
      bus: 'n4',
      phases: [3],
      steps: [{ price: 60, quantityKw: 120 }],
    },
    {
      id: 'ev',
      type: 'bid',
      participant: 'e',
      bus: 'n8',
      steps: [
        { price: 35, quantityKw: 80 },
        { price: 20, quantityKw: 80 },
      ],
    },
  ],
};

describe('a market whose intervals nothing couples', () => {
  it('clears interval by interval exactly as one model over all of them', async () => {
    const state = stateOf(`Redirect ${demoFeeder}\n`);
    const whole = await clearMarket(state, parseOrders(doc), solver, { decompose: false });
    const split = await clearMarket(state, parseOrders(doc), solver);
    // the split market's models are a quarter of the whole one's each
    expect(split.model.columns).toBeLessThan(whole.model.columns + 4 * 3);
    expect(split.status).toBe(whole.status);
    expect(split.objectiveUsd).toBeCloseTo(whole.objectiveUsd, 4);
    expect(split.dlmp.length).toBe(whole.dlmp.length);
    split.dlmp.forEach((d, i) => {
      const w = whole.dlmp[i];
      expect([d.interval, d.bus, d.phase]).toEqual([w.interval, w.bus, w.phase]);
      expect(Math.abs(d.total - w.total)).toBeLessThanOrEqual(1e-3 * Math.abs(w.total));
    });
    expect(split.schedules.map((s) => s.id)).toEqual(whole.schedules.map((s) => s.id));
    split.schedules.forEach((s, i) => {
      s.kw.forEach((kw, t) => {
        expect(kw).toBeCloseTo(whole.schedules[i].kw[t], 2);
      });
    });
    // the solar offer outside its hours sells nothing
    expect(split.schedules[1].kw[0]).toBe(0);
    // the money: the same lines, the same totals, and the DSO keeps what the participants leave
    const total = (r: typeof split) =>
      Object.fromEntries(r.settlement.map((l) => [l.participant, l.totalUsd]));
    const [a, b] = [total(split), total(whole)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const p of Object.keys(b)) expect(a[p]).toBeCloseTo(b[p], 2);
    expect(split.dsoSurplusUsd).toBeCloseTo(-split.settlement.reduce((x, l) => x + l.totalUsd, 0), 9);
    expect(split.substationKw.length).toBe(4);
    expect(split.energyBalance.map((e) => e.interval)).toEqual([0, 1, 2, 3]);
  });

  it('keeps one model where storage ties the intervals', async () => {
    const withBattery = {
      ...doc,
      orders: [
        ...doc.orders,
        {
          id: 'bess',
          type: 'storage',
          participant: 'b',
          bus: 'n8',
          powerKw: 100,
          energyKwh: 200,
          initialSocPct: 50,
          minSocPct: 10,
          maxSocPct: 90,
        },
      ],
    };
    const r = await clearMarket(stateOf(`Redirect ${demoFeeder}\n`), parseOrders(withBattery), solver);
    expect(r.schedules.find((s) => s.id === 'bess')!.socKwh).toHaveLength(4);
  });
});
