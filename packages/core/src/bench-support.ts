/** What the benchmark runner hands every `bench(ctx)`: where ../shared is, and a garbage collection. */
export interface BenchContext {
  sharedDir: string | undefined;
  gc: () => void;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
