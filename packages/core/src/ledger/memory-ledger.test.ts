import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerSuite } from './ledger-suite.js';
import { MemoryLedger } from './memory-ledger.js';
import { allocate } from './settle.js';

ledgerSuite('in-memory ledger', async () => new MemoryLedger());

describe('delivered energy split over a seller’s trades', () => {
  it('adds up exactly and never gives a trade more than it contracted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sizes, share) => {
          const trades = sizes.map((energyWh, i) => ({
            id: `t${i}`,
            seller: 's',
            buyer: 'b',
            slot: 0,
            block: i,
            energyWh,
            priceMicroPerWh: 1,
          }));
          const total = Math.floor(share * sizes.reduce((a, x) => a + x, 0));
          const parts = allocate(total, trades);
          expect(parts.reduce((a, x) => a + x, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(Number.isInteger(p)).toBe(true);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(sizes[i]);
          });
        },
      ),
    );
  });
});
