import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './binary-heap.js';

describe('BinaryHeap', () => {
  it('pops in order, visits in order without popping, and retains a subset in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.nat({ max: 60 }), (xs, k) => {
        const heap = new BinaryHeap<number>((a, b) => a < b);
        for (const x of xs) heap.push(x);
        const sorted = [...xs].sort((a, b) => a - b);
        const seen: number[] = [];
        heap.visitInOrder((x) => {
          seen.push(x);
          return seen.length < k;
        });
        expect(seen).toEqual(sorted.slice(0, Math.max(1, k)).slice(0, xs.length));
        heap.retain((x) => x % 2 === 0);
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop()!);
        expect(popped).toEqual(sorted.filter((x) => x % 2 === 0));
        expect(heap.pop()).toBeUndefined();
      }),
    );
  });
});
