import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import type { LemClearer } from './clearer.js';
import { demoFeeder, stateOf } from './test-support.js';

/** A real-time market on the example feeder: an offer, a bid, a battery and one bad order. */
const orders = () =>
  parseOrders({
    market: 'rtm',
    isoPrices: [42],
    orders: [
      { id: 'chp', type: 'offer', participant: 'c', bus: 'n2', steps: [{ price: 35, quantityKw: 400 }] },
      { id: 'ev', type: 'bid', participant: 'e', bus: 'n8', steps: [{ price: 90, quantityKw: 250 }] },
      { id: 'bad', type: 'bid', participant: 'x', bus: 'nowhere', steps: [{ price: 50, quantityKw: 10 }] },
    ],
  });

const withoutTiming = (r: Awaited<ReturnType<typeof clearMarket>>) => ({ ...r, timing: undefined });

/**
 * The suite every LemClearer passes: the clearing of the example feeder's market equals
 * clearMarket's in this thread, a bad order is rejected by id while the rest clear, and
 * markets cleared one after another do not disturb each other.
 */
export function lemClearerSuite(name: string, open: (feederScript: string) => Promise<LemClearer>): void {
  describe(`LemClearer: ${name}`, () => {
    let clearer: LemClearer;
    let solver: HighsSolver;
    beforeAll(async () => {
      clearer = await open(demoFeeder);
      solver = await HighsSolver.create();
    });
    afterAll(async () => {
      await clearer.close();
    });

    it('clears as clearMarket does in this thread', async () => {
      const expected = await clearMarket(stateOf(`Redirect ${demoFeeder}\n`), orders(), solver);
      const r = await clearer.clear(orders());
      expect(withoutTiming(r)).toEqual(withoutTiming(expected));
      expect(r.status).toBe('optimal');
      expect(r.rejected.map((x) => x.id)).toEqual(['bad']);
      expect(r.dlmp.length).toBeGreaterThan(0);
    });

    it('clears markets one after another, and at once, each as if alone', async () => {
      const first = withoutTiming(await clearer.clear(orders()));
      const [a, b] = await Promise.all([clearer.clear(orders()), clearer.clear(orders())]);
      expect(withoutTiming(a)).toEqual(first);
      expect(withoutTiming(b)).toEqual(first);
    });
  });
}
