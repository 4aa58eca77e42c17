import { describe, expect, it } from 'vitest';
import { XyCurve } from './xy-curve.js';

const curve = () =>
  new XyCurve(Float64Array.of(0.5, 0.92, 0.98, 1.02, 1.08, 1.5), Float64Array.of(1, 1, 0, 0, -1, -1));

describe('XyCurve', () => {
  it('interpolates between points and gives a point its own y', () => {
    const c = curve();
    expect(c.yAt(0.95)).toBeCloseTo(0.5, 12);
    expect(c.yAt(1.05)).toBeCloseTo(-0.5, 12);
    expect(c.yAt(1.0)).toBe(0);
    expect(c.yAt(1.08)).toBe(-1);
  });

  it('extends the end segments beyond the points, as OpenDSS does', () => {
    const steep = new XyCurve(Float64Array.of(1, 2), Float64Array.of(0, 10));
    expect(steep.yAt(0)).toBeCloseTo(-10, 12);
    expect(steep.yAt(3)).toBeCloseTo(20, 12);
  });

  it('gives the same value whichever segment it used before', () => {
    const c = curve();
    const x = [1.07, 0.93, 1.2, 0.6, 0.99, 1.03];
    const fresh = x.map((v) => curve().yAt(v));
    expect(x.map((v) => c.yAt(v))).toEqual(fresh);
  });

  it('has y 0 without points and its one y with one point', () => {
    expect(new XyCurve(new Float64Array(0), new Float64Array(0)).yAt(3)).toBe(0);
    expect(new XyCurve(Float64Array.of(1), Float64Array.of(0.4)).yAt(3)).toBe(0.4);
  });
});
