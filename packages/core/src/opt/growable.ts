type TypedArray = Float64Array | Int32Array | Uint8Array;

/**
 * An append-only typed array that doubles its capacity: a model of tens of thousands of
 * columns is built in one pass without boxing every number.
 */
export class Growable<A extends TypedArray> {
  private data: A;
  length = 0;

  constructor(private readonly make: (n: number) => A) {
    this.data = make(64);
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }

  at(i: number): number {
    return this.data[i];
  }

  set(i: number, x: number): void {
    this.data[i] = x;
  }

  /** The filled part, shared with the storage until the next push. */
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }

  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }

  copy(): Growable<A> {
    const g = new Growable(this.make);
    g.data = this.data.slice() as A;
    g.length = this.length;
    return g;
  }
}

export const f64 = () => new Growable((n) => new Float64Array(n));
export const i32 = () => new Growable((n) => new Int32Array(n));
export const u8 = () => new Growable((n) => new Uint8Array(n));
