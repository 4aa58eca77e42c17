import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CurveStep, clearSubstation } from './substation-exchange.js';

const step = (
  id: string,
  feeder: string,
  side: 'buy' | 'sell',
  kw: number,
  usdPerKwh: number,
): CurveStep => ({
  id,
  feeder,
  side,
  kw,
  usdPerKwh,
});

const money = (r: ReturnType<typeof clearSubstation>) =>
  r.fills.reduce((a, f) => a + f.usd, 0) + r.lines.reduce((a, l) => a + l.usd, 0);

describe('the substation exchange between feeders', () => {
  it('trades between feeders at the ISO price while the transformer has room', () => {
    const r = clearSubstation({
      steps: [step('pv', 'f1', 'sell', 300, 0.02), step('load', 'f2', 'buy', 350, 0.2)],
      isoUsdPerKwh: 0.08,
      transformerKw: 100,
      intervalH: 1,
    });
    expect(r).toMatchObject({ usdPerKwh: 0.08, isoImportKw: 50, binding: null });
    expect(r.feeders.f1).toEqual({ importKw: -300, usd: 24 });
    expect(r.feeders.f2.importKw).toBe(350);
    expect(r.feeders.f2.usd).toBeCloseTo(-28, 12);
    expect(r.lines.find((l) => l.account === 'transformer-rent')!.usd).toBe(0);
    expect(money(r)).toBeCloseTo(0, 12);
  });

  it('raises the price when imports would exceed the limit, and the rent pays the difference', () => {
    // f2 wants 500 kW; f1's 300 kW of PV and 100 kW through the transformer are all there is
    const r = clearSubstation({
      steps: [
        step('pv', 'f1', 'sell', 300, 0.02),
        step('load', 'f2', 'buy', 500, 0.2),
        step('ev', 'f3', 'buy', 50, 0.1),
      ],
      isoUsdPerKwh: 0.08,
      transformerKw: 100,
      intervalH: 0.25,
    });
    expect(r.binding).toBe('import');
    expect(r.usdPerKwh).toBe(0.2);
    expect(r.isoImportKw).toBeCloseTo(100, 9);
    expect(r.feeders.f2.importKw).toBeCloseTo(400, 9);
    expect(r.feeders.f3).toEqual({ importKw: 0, usd: 0 });
    const rent = r.lines.find((l) => l.account === 'transformer-rent')!;
    expect(rent.usd).toBeCloseTo(100 * 0.25 * 0.12, 12);
    expect(money(r)).toBeCloseTo(0, 12);
  });

  it('lowers the price when exports would exceed the limit', () => {
    const r = clearSubstation({
      steps: [
        step('pv1', 'f1', 'sell', 400, 0.01),
        step('pv2', 'f2', 'sell', 200, 0.03),
        step('hp', 'f2', 'buy', 100, 0.05),
      ],
      isoUsdPerKwh: 0.06,
      transformerKw: 250,
      intervalH: 1,
    });
    expect(r.binding).toBe('export');
    expect(r.isoImportKw).toBeCloseTo(-250, 9);
    // f2's PV at 0.03 is out of the money; f1's PV at 0.01 is the marginal step, rationed to 350 kW
    expect(r.usdPerKwh).toBe(0.01);
    expect(r.feeders.f1.importKw).toBeCloseTo(-350, 9);
    expect(money(r)).toBeCloseTo(0, 12);
  });

  it('refuses a curve step it cannot clear, naming it', () => {
    expect(() =>
      clearSubstation({
        steps: [step('a', 'f1', 'buy', -1, 0.1)],
        isoUsdPerKwh: 0.05,
        transformerKw: 10,
        intervalH: 1,
      }),
    ).toThrow(/steps\.0\.kw/);
    expect(() =>
      clearSubstation({ steps: [], isoUsdPerKwh: 0.05, transformerKw: Number.NaN, intervalH: 1 }),
    ).toThrow(/transformerKw/);
  });

  it('keeps the limit, balances money and is a competitive equilibrium for any curves', () => {
    const arbStep = fc.record({
      feeder: fc.constantFrom('f1', 'f2', 'f3', 'f4'),
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      kw: fc.integer({ min: 1, max: 500 }),
      cents: fc.integer({ min: -5, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbStep, { maxLength: 30 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 800 }),
        (raw, isoCents, limit) => {
          const steps = raw.map((s, i) => step(`s${i}`, s.feeder, s.side, s.kw, s.cents / 100));
          const iso = isoCents / 100;
          const r = clearSubstation({ steps, isoUsdPerKwh: iso, transformerKw: limit, intervalH: 0.5 });
          expect(Math.abs(r.isoImportKw)).toBeLessThanOrEqual(limit + 1e-6);
          const scale = 1 + r.fills.reduce((a, f) => a + Math.abs(f.usd), 0);
          expect(Math.abs(money(r))).toBeLessThanOrEqual(1e-9 * scale);
          const got = new Map(r.fills.map((f) => [f.id, f.kw]));
          for (const s of steps) {
            const kw = got.get(s.id) ?? 0;
            expect(kw).toBeLessThanOrEqual(s.kw + 1e-9);
            const inMoney = s.side === 'buy' ? s.usdPerKwh > r.usdPerKwh : s.usdPerKwh < r.usdPerKwh;
            const outOfMoney = s.side === 'buy' ? s.usdPerKwh < r.usdPerKwh : s.usdPerKwh > r.usdPerKwh;
            if (inMoney) expect(kw).toBeCloseTo(s.kw, 9);
            if (outOfMoney) expect(kw).toBe(0);
          }
          if (r.binding === null) expect(r.usdPerKwh).toBe(iso);
          if (r.binding === 'import') {
            expect(r.usdPerKwh).toBeGreaterThan(iso);
            expect(r.isoImportKw).toBeCloseTo(limit, 6);
          }
          if (r.binding === 'export') {
            expect(r.usdPerKwh).toBeLessThan(iso);
            expect(r.isoImportKw).toBeCloseTo(-limit, 6);
          }
          const net = Object.values(r.feeders).reduce((a, f) => a + f.importKw, 0);
          expect(net).toBeCloseTo(r.isoImportKw, 6);
        },
      ),
      { numRuns: 500 },
    );
  });
});
