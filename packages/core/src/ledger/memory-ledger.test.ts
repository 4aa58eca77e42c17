import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettlementRefusedError } from '../errors/index.js';
import { jsCrypto } from './crypto.js';
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

describe('what the in-memory ledger refuses and what it does not', () => {
  it('lets a fault that is not a refusal through as it is, not as "refused"', async () => {
    const fault = new TypeError('crypto backend crashed');
    const broken = {
      ...jsCrypto,
      verify: () => {
        throw fault;
      },
    };
    const l = new MemoryLedger(undefined, broken);
    for (const a of ['alice', 'bob']) {
      await l.openAccount(a);
      await l.deposit(a, 1_000_000);
      await l.registerMeter(`m-${a}`, a, '0x04');
    }
    const settle = l.settleInterval({
      interval: 'i1',
      trades: [
        { id: 't', seller: 'alice', buyer: 'bob', slot: 0, block: 0, energyWh: 10, priceMicroPerWh: 1 },
      ],
      readings: [
        {
          oracle: '0x04',
          signature: '0x00',
          readings: [{ meter: 'm-alice', account: 'alice', slot: 0, energyWh: 10, nonce: 1 }],
        },
      ],
      fallbackPriceMicroPerWh: 1,
    });
    await expect(settle).rejects.toBe(fault);
    await expect(
      l.settleInterval({ interval: 'i2', trades: [], readings: [], fallbackPriceMicroPerWh: -1 }),
    ).rejects.toBeInstanceOf(SettlementRefusedError);
  });
});
