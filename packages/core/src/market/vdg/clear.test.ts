import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearVdgs, type VdgResult } from './clear.js';
import { parseVdgDocument, type VdgDocument, type VdgOrder } from './document.js';

const order = (id: string, side: 'buy' | 'sell', kw: number, usdPerKwh: number): VdgOrder => ({
  id,
  participant: id.split('-')[0],
  side,
  kw,
  usdPerKwh,
});

/** Homes with PV (priority 1) and an EV charging hub (priority 2) behind one 500 kW line. */
const feeder = (capacityKw: number): VdgDocument => ({
  line: { id: 'line-650-632', capacityKw },
  feederUsdPerKwh: 0.1,
  intervalH: 0.25,
  vdgs: [
    {
      id: 'ev',
      kind: 'EV charging',
      priority: 2,
      capacityBidUsdPerKwh: 0.03,
      orders: [order('fleet-1', 'buy', 400, 0.25), order('taxi-1', 'buy', 100, 0.12)],
    },
    {
      id: 'homes',
      kind: 'residential DER',
      priority: 1,
      capacityBidUsdPerKwh: 0.01,
      orders: [order('h1-load', 'buy', 300, 0.3), order('h2-pv', 'sell', 100, 0.02)],
    },
  ],
});

const money = (v: VdgResult) => v.usd.participants + v.usd.feederSupply + v.usd.vdgOperator + v.usd.dso;

describe('virtual distribution grids on one line', () => {
  it('keeps the higher priority whole and curtails the lower one exactly by the rule', () => {
    const r = clearVdgs(feeder(500));
    const [ev, homes] = r.vdgs;
    // homes ask 300 − 100 = 200 kW, EV 500 kW: homes first, EV gets the 300 kW left
    expect(homes).toMatchObject({ requestKw: 200, allocatedKw: 200, curtailedKw: 0, usdPerKwh: 0.1 });
    expect(homes.importKw).toBeCloseTo(200, 9);
    expect(ev).toMatchObject({ requestKw: 500, allocatedKw: 300, curtailedKw: 200 });
    expect(ev.importKw).toBeCloseTo(300, 9);
    // 300 kW for 500 kW of demand: the taxi at 0.12 is out, the fleet at 0.25 sets the price and gets all 300
    expect(ev.usdPerKwh).toBe(0.25);
    expect(ev.fills).toEqual([
      { id: 'fleet-1', participant: 'fleet', side: 'buy', kw: 300, usd: -300 * 0.25 * 0.25 },
    ]);
    expect(ev.usd.feederSupply).toBeCloseTo(300 * 0.25 * 0.1, 12);
    expect(ev.usd.dso).toBeCloseTo(300 * 0.25 * 0.03, 12);
    expect(ev.usd.vdgOperator).toBeCloseTo(300 * 0.25 * (0.15 - 0.03), 12);
    expect(r.importKw).toBeCloseTo(500, 9);
    for (const v of r.vdgs) expect(money(v)).toBeCloseTo(0, 12);
  });

  it('gives the lower priority nothing when the higher one needs the whole line', () => {
    const [ev, homes] = clearVdgs(feeder(150)).vdgs;
    expect(homes).toMatchObject({ allocatedKw: 150, curtailedKw: 50, usdPerKwh: 0.3 });
    expect(ev).toMatchObject({ allocatedKw: 0, curtailedKw: 500, importKw: 0, fills: [] });
  });

  it('allocates exports on their own, and clears an uncongested line at the feeder price', () => {
    const doc = feeder(1000);
    doc.vdgs[1].orders = [order('h1-pv', 'sell', 600, 0.01)];
    const r = clearVdgs(doc);
    expect(r.vdgs[1]).toMatchObject({ requestKw: -600, allocatedKw: -600, usdPerKwh: 0.1 });
    expect(r).toMatchObject({ importKw: 500, exportKw: 600 });
  });

  it('refuses a bad document with the field named', () => {
    const doc = feeder(100) as unknown as { vdgs: { priority: number }[] };
    doc.vdgs[1].priority = 0;
    expect(() => parseVdgDocument(doc, 'vdgs.json')).toThrow(/vdgs\.json: vdgs\.1\.priority/);
    const twice = feeder(100);
    twice.vdgs[0].orders.push(order('h1-load', 'buy', 1, 1));
    expect(() => parseVdgDocument(twice)).toThrow(/vdgs\.1\.orders\.0\.id: "h1-load" twice/);
  });

  it('never puts more than the line through it, in priority order, with money summing to zero', () => {
    const arbOrder = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      kw: fc.integer({ min: 1, max: 300 }),
      cents: fc.integer({ min: 0, max: 40 }),
    });
    const arbVdg = fc.record({
      priority: fc.integer({ min: 1, max: 3 }),
      bidCents: fc.integer({ min: 0, max: 3 }),
      orders: fc.array(arbOrder, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbVdg, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 900 }),
        (raw, cap) => {
          const doc = parseVdgDocument({
            line: { id: 'l', capacityKw: cap },
            feederUsdPerKwh: 0.1,
            intervalH: 0.5,
            vdgs: raw.map((v, i) => ({
              id: `v${i}`,
              priority: v.priority,
              capacityBidUsdPerKwh: v.bidCents / 100,
              orders: v.orders.map((o, k) => ({
                id: `v${i}o${k}`,
                participant: `p${k}`,
                side: o.side,
                kw: o.kw,
                usdPerKwh: o.cents / 100,
              })),
            })),
          });
          const r = clearVdgs(doc);
          let imports = 0;
          let exports = 0;
          for (const v of r.vdgs) {
            expect(v.importKw).toBeCloseTo(v.allocatedKw, 6);
            expect(Math.abs(v.allocatedKw)).toBeLessThanOrEqual(Math.abs(v.requestKw) + 1e-9);
            expect(Math.abs(money(v))).toBeLessThan(1e-9);
            if (v.importKw > 0) imports += v.importKw;
            else exports -= v.importKw;
          }
          expect(imports).toBeLessThanOrEqual(cap + 1e-6);
          expect(exports).toBeLessThanOrEqual(cap + 1e-6);
          for (const a of r.vdgs)
            for (const b of r.vdgs) {
              const sameWay = Math.sign(a.requestKw) === Math.sign(b.requestKw);
              // a curtailed VDG has nobody of a lower class (larger priority number) served in its direction
              if (sameWay && a.curtailedKw > 1e-9 && b.priority > a.priority) expect(b.allocatedKw).toBe(0);
            }
        },
      ),
      { numRuns: 300 },
    );
  });
});
