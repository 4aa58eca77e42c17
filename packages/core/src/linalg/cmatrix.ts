import { NumericalError } from '../errors/index.js';
import type { Complex } from './complex.js';

/** Dense square complex matrix, row-major with split real and imaginary parts. */
export class CMatrix {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.re = new Float64Array(n * n);
    this.im = new Float64Array(n * n);
  }

  static identity(n: number): CMatrix {
    const m = new CMatrix(n);
    for (let i = 0; i < n; i++) m.re[i * n + i] = 1;
    return m;
  }

  /** Builds from real and imaginary row-major arrays of equal size. */
  static from(n: number, re: ArrayLike<number>, im?: ArrayLike<number>): CMatrix {
    const m = new CMatrix(n);
    m.re.set(re);
    if (im) m.im.set(im);
    return m;
  }

  clone(): CMatrix {
    const m = new CMatrix(this.n);
    m.re.set(this.re);
    m.im.set(this.im);
    return m;
  }

  get(i: number, j: number): Complex {
    const k = i * this.n + j;
    return { re: this.re[k], im: this.im[k] };
  }

  set(i: number, j: number, re: number, im: number): void {
    const k = i * this.n + j;
    this.re[k] = re;
    this.im[k] = im;
  }

  add(i: number, j: number, re: number, im: number): void {
    const k = i * this.n + j;
    this.re[k] += re;
    this.im[k] += im;
  }

  scale(s: number): CMatrix {
    for (let k = 0; k < this.re.length; k++) {
      this.re[k] *= s;
      this.im[k] *= s;
    }
    return this;
  }

  /** this += other */
  addMatrix(other: CMatrix): CMatrix {
    for (let k = 0; k < this.re.length; k++) {
      this.re[k] += other.re[k];
      this.im[k] += other.im[k];
    }
    return this;
  }

  multiply(b: CMatrix): CMatrix {
    const n = this.n;
    const out = new CMatrix(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const ar = this.re[i * n + k];
        const ai = this.im[i * n + k];
        if (ar === 0 && ai === 0) continue;
        for (let j = 0; j < n; j++) {
          const br = b.re[k * n + j];
          const bi = b.im[k * n + j];
          out.re[i * n + j] += ar * br - ai * bi;
          out.im[i * n + j] += ar * bi + ai * br;
        }
      }
    }
    return out;
  }

  /** y = this · x for split complex vectors. */
  multiplyVector(xr: ArrayLike<number>, xi: ArrayLike<number>, yr: Float64Array, yi: Float64Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const ar = this.re[i * n + j];
        const ai = this.im[i * n + j];
        sr += ar * xr[j] - ai * xi[j];
        si += ar * xi[j] + ai * xr[j];
      }
      yr[i] = sr;
      yi[i] = si;
    }
  }

  /**
   * Inverse by Gauss-Jordan elimination with partial pivoting.
   * Throws NumericalError when a pivot vanishes, so callers can name the element.
   */
  inverse(): CMatrix {
    const n = this.n;
    const a = this.clone();
    const inv = CMatrix.identity(n);
    let scaleRef = 0;
    for (let k = 0; k < n * n; k++) scaleRef = Math.max(scaleRef, Math.hypot(a.re[k], a.im[k]));
    const tiny = scaleRef * 1e-14;
    for (let col = 0; col < n; col++) {
      let piv = col;
      let best = -1;
      for (let r = col; r < n; r++) {
        const m = Math.hypot(a.re[r * n + col], a.im[r * n + col]);
        if (m > best) {
          best = m;
          piv = r;
        }
      }
      if (!(best > tiny)) throw new NumericalError(`matrix of order ${n} is singular (column ${col + 1})`);
      if (piv !== col) {
        swapRows(a, piv, col);
        swapRows(inv, piv, col);
      }
      const pr = a.re[col * n + col];
      const pi = a.im[col * n + col];
      const d = pr * pr + pi * pi;
      const qr = pr / d;
      const qi = -pi / d;
      scaleRow(a, col, qr, qi);
      scaleRow(inv, col, qr, qi);
      for (let r = 0; r < n; r++) {
        if (r === col) continue;
        const fr = a.re[r * n + col];
        const fi = a.im[r * n + col];
        if (fr === 0 && fi === 0) continue;
        subtractRow(a, r, col, fr, fi);
        subtractRow(inv, r, col, fr, fi);
      }
    }
    return inv;
  }
}

function swapRows(m: CMatrix, a: number, b: number): void {
  const n = m.n;
  for (let j = 0; j < n; j++) {
    const ka = a * n + j;
    const kb = b * n + j;
    const tr = m.re[ka];
    const ti = m.im[ka];
    m.re[ka] = m.re[kb];
    m.im[ka] = m.im[kb];
    m.re[kb] = tr;
    m.im[kb] = ti;
  }
}

function scaleRow(m: CMatrix, row: number, sr: number, si: number): void {
  const n = m.n;
  for (let j = 0; j < n; j++) {
    const k = row * n + j;
    const r = m.re[k];
    const i = m.im[k];
    m.re[k] = r * sr - i * si;
    m.im[k] = r * si + i * sr;
  }
}

/** row r -= f · row src */
function subtractRow(m: CMatrix, r: number, src: number, fr: number, fi: number): void {
  const n = m.n;
  for (let j = 0; j < n; j++) {
    const ks = src * n + j;
    const kr = r * n + j;
    const sr = m.re[ks];
    const si = m.im[ks];
    m.re[kr] -= fr * sr - fi * si;
    m.im[kr] -= fr * si + fi * sr;
  }
}
