import type { LimitOrder } from '../orders/index.js';

/**
 * The orders of one side in priority order: the best price first (highest bid, lowest ask),
 * then the earlier `time` (none counts as latest), then the earlier position in the input.
 * Every mechanism here uses this one rule, so equal prices are always broken the same way.
 *
 * A million orders must sort in well under a second, which a comparison sort with a callback
 * does not do; the orders are sorted instead by a stable radix sort on the bit patterns of the
 * numbers, first by time and then by price, stability keeping the input order for full ties.
 */
export function prioritized(orders: readonly LimitOrder[], side: 'buy' | 'sell'): Uint32Array {
  let n = 0;
  for (const o of orders) if (o.side === side) n++;
  // a radix pass costs a 65,536-bucket histogram: small markets sort faster by comparison
  if (n < SMALL) return byComparison(orders, side, n);
  const idx = new Uint32Array(n);
  const priceHi = new Uint32Array(n);
  const priceLo = new Uint32Array(n);
  const timeHi = new Uint32Array(n);
  const timeLo = new Uint32Array(n);
  const bits = new DataView(new ArrayBuffer(8));
  let k = 0;
  let timed = false;
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i];
    if (o.side !== side) continue;
    idx[k] = i;
    sortableBits(bits, o.price + 0);
    // bids rank from the highest price: reverse the order of their keys
    priceHi[k] = side === 'buy' ? ~bits.getUint32(0) >>> 0 : bits.getUint32(0);
    priceLo[k] = side === 'buy' ? ~bits.getUint32(4) >>> 0 : bits.getUint32(4);
    if (o.time !== undefined) timed = true;
    sortableBits(bits, o.time === undefined ? Number.POSITIVE_INFINITY : o.time + 0);
    timeHi[k] = bits.getUint32(0);
    timeLo[k] = bits.getUint32(4);
    k++;
  }
  // the keys travel with the indices, so every pass reads its input in order
  let keys: Uint32Array[] = [idx, priceHi, priceLo, timeHi, timeLo];
  if (timed) keys = radixSort(keys, 3, 4);
  keys = radixSort(keys.slice(0, 3), 1, 2);
  return keys[0];
}

const SMALL = 2048;

function byComparison(orders: readonly LimitOrder[], side: 'buy' | 'sell', n: number): Uint32Array {
  const idx = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < orders.length; i++) if (orders[i].side === side) idx[k++] = i;
  const dir = side === 'buy' ? -1 : 1;
  const time = (o: LimitOrder) => o.time ?? Number.POSITIVE_INFINITY;
  return idx.sort(
    (a, b) => dir * (orders[a].price - orders[b].price) || time(orders[a]) - time(orders[b]) || a - b,
  );
}

/** Writes x's IEEE-754 bits (x + 0 folds −0 into 0), flipped so that unsigned order is numeric order. */
function sortableBits(view: DataView, x: number): void {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  if (hi & 0x80000000) {
    view.setUint32(0, ~hi >>> 0);
    view.setUint32(4, ~view.getUint32(4) >>> 0);
  } else {
    view.setUint32(0, (hi | 0x80000000) >>> 0);
  }
}

const BUCKETS = 1 << 16;

/**
 * Stable LSD radix sort of parallel arrays by the 64-bit key whose high word is arrays[hi] and
 * low word arrays[lo], 16 bits a pass; every array is permuted alike.
 */
function radixSort(arrays: Uint32Array[], hi: number, lo: number): Uint32Array[] {
  const n = arrays[0].length;
  let from: Uint32Array[] = arrays;
  let to: Uint32Array[] = arrays.map(() => new Uint32Array(n));
  const count = new Uint32Array(BUCKETS);
  for (const [word, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    const key = from[word];
    count.fill(0);
    for (let p = 0; p < n; p++) count[(key[p] >>> shift) & 0xffff]++;
    // a digit every key shares does not reorder anything
    if (n === 0 || count[(key[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let p = 0; p < n; p++) {
      const at = count[(key[p] >>> shift) & 0xffff]++;
      for (let a = 0; a < from.length; a++) to[a][at] = from[a][p];
    }
    [from, to] = [to, from];
  }
  return from;
}
