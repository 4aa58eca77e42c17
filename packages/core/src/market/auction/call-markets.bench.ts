import { type BenchContext, median } from '../../bench-support.js';
import { Prng } from '../../random/index.js';
import type { LimitOrder } from '../orders/index.js';
import { mda, meritOrder, payAsBid, uniformPrice } from './index.js';

/** A seeded call market: bids and asks around a common price, quantities in kWh. */
export function randomCallMarket(n: number, seed: number): LimitOrder[] {
  const r = new Prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const buy = r.next() < 0.5;
    return {
      id: `o${i}`,
      side: buy ? 'buy' : 'sell',
      type: 'limit',
      timeInForce: 'GTC',
      price: Math.round((buy ? r.uniform(5, 35) : r.uniform(0, 30)) * 100) / 100,
      quantity: Math.round(r.uniform(0.1, 10) * 10) / 10,
      time: Math.floor(r.uniform(0, 1800)),
    };
  });
}

/** Clearing time of each call mechanism on 1,000,000 orders. */
export async function bench(ctx: BenchContext) {
  const orders = randomCallMarket(1_000_000, 7);
  const rows: string[][] = [];
  const cases: [string, () => { volume: number; trades: unknown[] }][] = [
    ['uniform price (k = 0.5)', () => uniformPrice(orders)],
    ['pay-as-bid', () => payAsBid(orders)],
    ['MDA (Huang et al. 2002)', () => mda(orders)],
    ['merit order (liu-small)', () => meritOrder(orders)],
  ];
  for (const [name, run] of cases) {
    run();
    const ms: number[] = [];
    let r = run();
    for (let i = 0; i < 5; i++) {
      ctx.gc();
      const t0 = performance.now();
      r = run();
      ms.push(performance.now() - t0);
    }
    rows.push([
      name,
      String(orders.length),
      String(r.trades.length),
      r.volume.toFixed(1),
      median(ms).toFixed(0),
    ]);
  }
  return {
    title: 'Call markets, 1,000,000 orders (ms, medians of 5)',
    columns: ['mechanism', 'orders', 'trades', 'volume', 'clear'],
    rows,
    notes: ['target: a call market of 1,000,000 orders cleared in ≤ 1000 ms'],
  };
}
