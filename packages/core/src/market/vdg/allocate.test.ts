import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCapacity, type CapacityRequest } from './allocate.js';

const req = (vdg: string, priority: number, bidUsdPerKwh: number, kw: number): CapacityRequest => ({
  vdg,
  priority,
  bidUsdPerKwh,
  kw,
});

/** a is ranked before b by the rule: a better class, or the same class and a higher bid */
const before = (a: CapacityRequest, b: CapacityRequest) =>
  a.priority < b.priority || (a.priority === b.priority && a.bidUsdPerKwh > b.bidUsdPerKwh);

describe('the DSO allocating a congested line between VDGs', () => {
  it('serves the higher priority whole and curtails the lower one by what is left', () => {
    const g = allocateCapacity([req('ev', 2, 0.5, 400), req('homes', 1, 0.01, 350)], 500);
    expect(g).toEqual({ homes: 350, ev: 150 });
  });

  it('ranks by bid within a class and shares equal bids pro rata', () => {
    const g = allocateCapacity(
      [req('a', 1, 0.02, 100), req('b', 1, 0.05, 100), req('c', 1, 0.02, 300), req('d', 2, 0.9, 50)],
      300,
    );
    // b first (higher bid), then a and c share the remaining 200 kW in proportion 100 : 300
    expect(g.b).toBe(100);
    expect(g.a).toBeCloseTo(50, 12);
    expect(g.c).toBeCloseTo(150, 12);
    expect(g.d).toBe(0);
  });

  it('grants every request in full when the line has room', () => {
    expect(allocateCapacity([req('a', 3, 0, 10), req('b', 1, 0, 20)], 30)).toEqual({ a: 10, b: 20 });
  });

  it('refuses a request it cannot rank, naming the field', () => {
    expect(() => allocateCapacity([req('a', 0, 0, 10)], 30)).toThrow(/requests\.0\.priority/);
    expect(() => allocateCapacity([req('a', 1, 0, -1)], 30)).toThrow(/requests\.0\.kw/);
    expect(() => allocateCapacity([req('a', 1, 0, 1), req('a', 2, 0, 1)], 30)).toThrow(/requests\.1\.vdg/);
    expect(() => allocateCapacity([], Number.POSITIVE_INFINITY)).toThrow(/capacityKw/);
  });

  it('never exceeds the capacity or a request, is work-conserving and respects the ranking', () => {
    const arb = fc.array(
      fc.record({
        priority: fc.integer({ min: 1, max: 3 }),
        bid: fc.integer({ min: 0, max: 4 }),
        kw: fc.integer({ min: 0, max: 400 }),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 1500 }), (raw, capacityKw) => {
        const requests = raw.map((r, i) => req(`v${i}`, r.priority, r.bid / 100, r.kw));
        const g = allocateCapacity(requests, capacityKw);
        const total = Object.values(g).reduce((a, x) => a + x, 0);
        const asked = requests.reduce((a, r) => a + r.kw, 0);
        expect(total).toBeLessThanOrEqual(capacityKw + 1e-9);
        expect(total).toBeCloseTo(Math.min(capacityKw, asked), 6);
        for (const r of requests) {
          expect(g[r.vdg]).toBeGreaterThanOrEqual(0);
          expect(g[r.vdg]).toBeLessThanOrEqual(r.kw + 1e-9);
        }
        for (const a of requests)
          for (const b of requests) {
            // b gets anything only once a, ranked before it, has all it asked for
            if (before(a, b) && g[b.vdg] > 1e-9) expect(g[a.vdg]).toBeCloseTo(a.kw, 9);
            // one class and one bid: the same share of what each asked for
            if (a.priority === b.priority && a.bidUsdPerKwh === b.bidUsdPerKwh && a.kw > 0 && b.kw > 0)
              expect(g[a.vdg] / a.kw).toBeCloseTo(g[b.vdg] / b.kw, 9);
          }
      }),
      { numRuns: 500 },
    );
  });
});
