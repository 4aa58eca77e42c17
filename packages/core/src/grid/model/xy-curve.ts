/**
 * OpenDSS's XYCurve lookup: straight lines between the points, extended beyond the ends along the
 * first and last segments; an x within 1e-5 of a point gives that point's y. OpenDSS searches
 * from the segment it used last (and from the start when x lies before it), which decides
 * whether that snap applies, so the curve keeps that index too.
 */
export class XyCurve {
  private last = 0;

  constructor(
    readonly x: Float64Array,
    readonly y: Float64Array,
  ) {}

  yAt(x: number): number {
    const xs = this.x;
    const n = xs.length;
    if (n === 0) return 0;
    if (n === 1) return this.y[0];
    if (xs[this.last] > x) this.last = 0;
    if (this.last === 0 && xs[0] > x) return this.between(1, 0, x);
    for (let i = this.last + 1; i < n; i++) {
      if (Math.abs(xs[i] - x) < 0.00001) {
        this.last = i;
        return this.y[i];
      }
      if (xs[i] > x) {
        this.last = i - 1;
        return this.between(i, i - 1, x);
      }
    }
    this.last = n - 2;
    return this.between(n - 1, n - 2, x);
  }

  /** the line through points i and j at x; y of i where both share one x */
  private between(i: number, j: number, x: number): number {
    const den = this.x[i] - this.x[j];
    return den !== 0 ? this.y[j] + ((x - this.x[j]) / den) * (this.y[i] - this.y[j]) : this.y[i];
  }
}
