/** A deterministic secret key from a small number, for tests and benchmarks. */
export function testKey(n: number): Uint8Array {
  const k = new Uint8Array(32);
  k[31] = n;
  k[0] = 1;
  return k;
}
