import { describe, expect, it } from 'vitest';
import { pjmPerformanceScore, regDSignal } from './index.js';

describe('RegD-like test signal', () => {
  it('is seeded, within [−1, 1], reaches ±1, energy-neutral and 40 minutes long', () => {
    const a = regDSignal({ seed: 3 });
    const b = regDSignal({ seed: 3 });
    const c = regDSignal({ seed: 4 });
    expect(a.length).toBe(1200);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const peak = Math.max(...Array.from(a, Math.abs));
    expect(peak).toBeCloseTo(1, 12);
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / a.length)).toBeLessThan(1e-12);
    expect(regDSignal({ seed: 3, stepS: 10 }).length).toBe(240);
    expect(() => regDSignal({ seed: 1, stepS: 4 })).toThrow(/stepS/);
  });
});

describe('PJM performance score', () => {
  const signal = regDSignal({ seed: 11 });

  it('scores a perfect follower 1, 1, 1', () => {
    const s = pjmPerformanceScore(signal, signal, 2);
    expect(s.accuracy).toBeCloseTo(1, 12);
    expect(s.delay).toBe(1);
    expect(s.precision).toBe(1);
    expect(s.composite).toBeCloseTo(1, 12);
  });

  it('finds a pure delay of 2 minutes and gives it a delay score of 0.6', () => {
    const lag = 60; // samples of 2 s
    const response = signal.map((_, k) => (k >= lag ? signal[k - lag] : 0));
    const s = pjmPerformanceScore(signal, response, 2);
    expect(s.delayS).toBe(120);
    expect(s.delay).toBeCloseTo(0.6, 12);
    expect(s.accuracy).toBeCloseTo(1, 9);
    expect(s.precision).toBeLessThan(0.9);
  });

  it('lowers precision, not accuracy, for a scaled response', () => {
    const half = signal.map((v) => 0.5 * v);
    const s = pjmPerformanceScore(signal, half, 2);
    expect(s.accuracy).toBeCloseTo(1, 12);
    expect(s.delay).toBe(1);
    expect(s.precision).toBeCloseTo(0.5, 12);
    const over = pjmPerformanceScore(
      signal,
      signal.map((v) => 1.2 * v),
      2,
    );
    expect(over.precision).toBeCloseTo(0.8, 12);
  });

  it('gives no accuracy to an unrelated or flat response and rejects bad input', () => {
    const other = regDSignal({ seed: 99 });
    expect(pjmPerformanceScore(signal, other, 2).accuracy).toBeLessThan(0.5);
    expect(pjmPerformanceScore(signal, new Float64Array(signal.length), 2).accuracy).toBe(0);
    expect(() => pjmPerformanceScore(signal, signal.slice(1), 2)).toThrow(/length/);
    expect(() => pjmPerformanceScore(signal, signal, 3)).toThrow(/stepS/);
  });
});
