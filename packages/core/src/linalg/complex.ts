/** A complex number as a plain value object; hot loops use split Float64Arrays instead. */
export interface Complex {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Complex => ({ re, im });
export const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
export const csub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
export const cmul = (a: Complex, b: Complex): Complex => ({
  re: a.re * b.re - a.im * b.im,
  im: a.re * b.im + a.im * b.re,
});
export const cscale = (a: Complex, s: number): Complex => ({ re: a.re * s, im: a.im * s });
export const cconj = (a: Complex): Complex => ({ re: a.re, im: -a.im });
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im);
export const cneg = (a: Complex): Complex => ({ re: -a.re, im: -a.im });

export function cdiv(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}

/** Polar form with the angle in degrees, as power engineers write phasors. */
export function cpolarDeg(mag: number, angleDeg: number): Complex {
  const a = (angleDeg * Math.PI) / 180;
  return { re: mag * Math.cos(a), im: mag * Math.sin(a) };
}

export const cangleDeg = (a: Complex): number => (Math.atan2(a.im, a.re) * 180) / Math.PI;
