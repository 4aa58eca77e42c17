import { beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver, type LinearModel } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { demoFeeder as demo, losslessFeeder as lossless, stateOf } from './test-support.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

const offerSteps = [
  { price: 20, quantityKw: 200 },
  { price: 35, quantityKw: 500 },
  { price: 50, quantityKw: 500 },
];

describe('the local energy market', () => {
  it('on an uncongested lossless feeder gives one price everywhere: the marginal offer', async () => {
    const parsed = parseOrders({
      market: 'rtm',
      isoPrices: [30],
      importLimitKw: 0,
      exportLimitKw: 0,
      orders: [{ id: 'g', type: 'offer', participant: 'gen', bus: 'b2', steps: offerSteps }],
    });
    let model: LinearModel | undefined;
    const r = await clearMarket(stateOf(lossless), parsed, solver, { onModel: (m) => (model = m) });
    expect(r.status).toBe('optimal');
    // the dumped model, read back by the solver, has the market's objective
    for (const format of ['lp', 'mps'] as const) {
      expect(solver.solveText(await solver.write(model!, format), format).objective).toBeCloseTo(
        r.objectiveUsd,
        6,
      );
    }
    // 1000 kW of load: 200 + 500 from the first steps, the rest from the 50 $/MWh step
    expect(r.schedules[0].kw[0]).toBeCloseTo(1000, 0);
    for (const d of r.dlmp) {
      expect(d.total).toBeCloseTo(50, 4);
      expect(d.loss).toBeCloseTo(0, 6);
      expect(d.congestion).toBeCloseTo(0, 6);
    }
  });

  it('charges each bus-phase its marginal cost: one more kW of load costs the DLMP', async () => {
    const orders = {
      market: 'rtm',
      isoPrices: [40],
      importLimitKw: 4300,
      orders: [
        {
          id: 'chp',
          type: 'offer',
          participant: 'c',
          bus: 'n2',
          steps: [
            { price: 30, quantityKw: 400 },
            { price: 55, quantityKw: 600 },
          ],
        },
        { id: 'pv', type: 'offer', participant: 'p', bus: 'n6', steps: [{ price: 0, quantityKw: 300 }] },
        {
          id: 'flex',
          type: 'bid',
          participant: 'f',
          bus: 'n4',
          phases: [3],
          steps: [{ price: 70, quantityKw: 100 }],
        },
      ],
    };
    const base = await clearMarket(stateOf(`Redirect ${demo}\n`), parseOrders(orders), solver);
    expect(base.status).toBe('optimal');
    // the import limit binds, so the CHP's second step is marginal
    expect(base.schedules[0].kw[0]).toBeGreaterThan(400);
    expect(base.schedules[0].kw[0]).toBeLessThan(1000);
    const hours = base.intervalHours;
    for (const [bus, phase, kv] of [
      ['n4', 3, 7.2],
      ['n8', 1, 7.2],
      ['la2', 1, 7.2],
    ] as const) {
      const eps = 2;
      const more = await clearMarket(
        stateOf(`Redirect ${demo}\nNew Load.eps bus1=${bus}.${phase} phases=1 kv=${kv} kw=${eps} pf=1\n`),
        parseOrders(orders),
        solver,
      );
      const marginal = (more.objectiveUsd - base.objectiveUsd) / ((eps * hours) / 1000);
      const dlmp = base.dlmp.find((d) => d.bus === bus && d.phase === phase)!.total;
      expect(Math.abs(marginal - dlmp)).toBeLessThan(Math.max(0.01 * Math.abs(dlmp), 0.01));
    }
  });

  it('keeps energy in balance: the linearized substation power matches the AC power flow', async () => {
    const doc = JSON.parse(
      JSON.stringify({
        market: 'dam',
        intervals: 4,
        isoPrices: [20, 35, 80, 40],
        loadMultipliers: [0.6, 0.9, 1.2, 0.8],
        orders: [
          { id: 'chp', type: 'offer', participant: 'c', bus: 'n2', steps: [{ price: 45, quantityKw: 500 }] },
          {
            id: 'bess',
            type: 'storage',
            participant: 'b',
            bus: 'n8',
            powerKw: 300,
            energyKwh: 600,
            initialSocPct: 50,
            minSocPct: 10,
            maxSocPct: 90,
          },
        ],
      }),
    );
    const r = await clearMarket(stateOf(`Redirect ${demo}\n`), parseOrders(doc), solver);
    r.substationKw.forEach((lp, t) => {
      expect(Math.abs(lp - r.acSubstationKw[t])).toBeLessThan(0.005 * r.acSubstationKw[t]);
    });
    // the battery buys when power is cheap and sells at the peak, within its energy
    const bess = r.schedules.find((s) => s.id === 'bess')!;
    expect(bess.kw[0]).toBeLessThan(0);
    expect(bess.kw[2]).toBeGreaterThan(0);
    for (const soc of bess.socKwh!) {
      expect(soc).toBeGreaterThanOrEqual(60 - 1e-6);
      expect(soc).toBeLessThanOrEqual(540 + 1e-6);
    }
    // substation + market = loads + losses in every interval, and the settlement's energy adds up to the losses
    let lossesKwh = 0;
    for (const b of r.energyBalance) {
      expect(b.lossesKw).toBeGreaterThan(0);
      expect(b.lossesKw).toBeLessThan(0.1 * b.loadKw);
      lossesKwh += b.lossesKw * r.intervalHours;
    }
    const settledKwh = r.settlement.reduce((a, l) => a + l.energyKwh, 0);
    expect(Math.abs(settledKwh - lossesKwh)).toBeLessThan(0.01 * lossesKwh + 0.005 * r.acSubstationKw[0]);
    // marginal loss prices collect more than the losses cost: the DSO is revenue adequate
    const paid = r.settlement.reduce((a, l) => a + l.totalUsd, 0);
    expect(r.dsoSurplusUsd).toBeCloseTo(-paid, 9);
    expect(r.dsoSurplusUsd).toBeGreaterThan(0);
    expect(r.settlement.map((l) => l.participant).sort()).toEqual(['(feeder loads)', '(iso)', 'b', 'c']);
  });

  it('splits prices at a binding branch exactly as its dual and the sensitivities say', async () => {
    const orders = {
      market: 'rtm',
      isoPrices: [30],
      orders: [
        { id: 'local', type: 'offer', participant: 'l', bus: 'n6', steps: [{ price: 90, quantityKw: 1500 }] },
      ],
    };
    const r = await clearMarket(
      stateOf(`Redirect ${demo}\nLine.l5.normamps=75\n`),
      parseOrders(orders),
      solver,
    );
    expect(r.status).toBe('optimal');
    expect(r.binding.some((b) => b.name.startsWith('Line.l5'))).toBe(true);
    // the AC power flow of the cleared schedule keeps the line within a tenth of a per cent
    expect(r.iterations.at(-1)!.maxBranchLoading).toBeLessThan(1.001);
    const at = (bus: string, phase: number) => r.dlmp.find((d) => d.bus === bus && d.phase === phase)!;
    // upstream of the bottleneck power comes from the grid; behind it the local offer sets the price
    // upstream the line's current hardly depends on injections (only through voltages)
    expect(Math.abs(at('n1', 1).congestion)).toBeLessThan(0.05 * at('n6', 1).congestion);
    expect(at('n6', 1).total).toBeGreaterThan(at('n1', 1).total + 10);
    // the congestion part is the binding rows' duals times the sensitivities: local offer marginal at n6
    const local = r.dlmp.filter((d) => d.bus === 'n6');
    const avg = local.reduce((a, d) => a + d.total, 0) / local.length;
    expect(avg).toBeCloseTo(90, 0);
    for (const d of r.dlmp) expect(d.energy + d.loss + d.congestion).toBeCloseTo(d.total, 9);
  });

  it('rejects bad orders by id and field, and clears the rest', async () => {
    const parsed = parseOrders({
      market: 'rtm',
      isoPrices: [40],
      orders: [
        { id: 'ok', type: 'bid', participant: 'a', bus: 'n3', steps: [{ price: 60, quantityKw: 50 }] },
        { id: 'neg', type: 'offer', participant: 'a', bus: 'n3', steps: [{ price: 60, quantityKw: -5 }] },
        { id: 'nobus', type: 'offer', participant: 'a', bus: 'zz', steps: [{ price: 10, quantityKw: 5 }] },
        {
          id: 'nophase',
          type: 'offer',
          participant: 'a',
          bus: 'la1',
          phases: [2],
          steps: [{ price: 10, quantityKw: 5 }],
        },
        { id: 'ok', type: 'bid', participant: 'b', bus: 'n3', steps: [{ price: 60, quantityKw: 50 }] },
        { type: 'offer' },
      ],
    });

    const r = await clearMarket(stateOf(`Redirect ${demo}\n`), parsed, solver);
    const why = Object.fromEntries(r.rejected.map((x) => [x.id, x.reasons.join('; ')]));
    expect(why.neg).toMatch(/steps\.0\.quantityKw: must be positive/);
    expect(why.nobus).toMatch(/unknown bus "zz"/);
    expect(why.nophase).toMatch(/has no phase 2/);
    expect(why['#5']).toMatch(/id/);
    expect(r.rejected.filter((x) => x.id === 'ok')[0].reasons[0]).toMatch(/duplicate/);
    expect(r.schedules.map((s) => s.id)).toEqual(['ok']);
    expect(r.schedules[0].kw[0]).toBeCloseTo(-50, 6);
  });

  it('refuses phase-to-ground orders on an ungrounded delta secondary', async () => {
    const script = `${lossless}New Transformer.dd phases=3 windings=2 buses=[b2 lv] conns=[delta delta] kvs=[12.47 0.48] kvas=[500 500] xhl=4
New Load.lv bus1=lv phases=3 conn=delta kv=0.48 kw=100
`;
    const r = await clearMarket(
      stateOf(script),
      parseOrders({
        market: 'rtm',
        isoPrices: [40],
        orders: [
          {
            id: 'lv1',
            type: 'offer',
            participant: 'a',
            bus: 'lv',
            phases: [1],
            steps: [{ price: 10, quantityKw: 20 }],
          },
          { id: 'b2', type: 'offer', participant: 'a', bus: 'b2', steps: [{ price: 10, quantityKw: 20 }] },
        ],
      }),
      solver,
    );
    expect(r.rejected.map((x) => x.id)).toEqual(['lv1']);
    expect(r.rejected[0].reasons[0]).toMatch(/lv\.1 has no path to ground/);
    expect(r.schedules.map((x) => x.id)).toEqual(['b2']);
  });
});
