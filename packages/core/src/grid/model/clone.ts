/**
 * A deep copy of an object graph that keeps classes (prototypes), typed arrays, arrays, maps and
 * sets, and shared references: an object reached twice is copied once. Networks are copied
 * this way because building one from a script costs far more than copying it, and a market
 * needs one independent network (with its own taps and capacitor states) per interval.
 */
export function cloneGraph<T>(root: T): T {
  const seen = new Map<unknown, unknown>();
  const copy = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    const hit = seen.get(x);
    if (hit !== undefined) return hit;
    if (ArrayBuffer.isView(x)) {
      const c = (x as unknown as { slice(): unknown }).slice();
      seen.set(x, c);
      return c;
    }
    if (Array.isArray(x)) {
      const c: unknown[] = new Array(x.length);
      seen.set(x, c);
      for (let i = 0; i < x.length; i++) c[i] = copy(x[i]);
      return c;
    }
    if (x instanceof Map) {
      const c = new Map();
      seen.set(x, c);
      for (const [k, v] of x) c.set(copy(k), copy(v));
      return c;
    }
    if (x instanceof Set) {
      const c = new Set();
      seen.set(x, c);
      for (const v of x) c.add(copy(v));
      return c;
    }
    const c = Object.create(Object.getPrototypeOf(x));
    seen.set(x, c);
    for (const key of Object.keys(x)) c[key] = copy((x as Record<string, unknown>)[key]);
    return c;
  };
  return copy(root) as T;
}
