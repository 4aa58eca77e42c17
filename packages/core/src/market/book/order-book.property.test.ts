import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeOrder } from '../orders/index.js';
import { OrderBook } from './order-book.js';
import { applyOp, type BookApi, type BookOp, type OpDraw, ReferenceBook, toOps } from './test-support.js';
import type { SelfTradePolicy, SubmitResult } from './types.js';

const drawArb: fc.Arbitrary<OpDraw> = fc.record({
  kind: fc.integer({ min: 0, max: 99 }),
  buy: fc.boolean(),
  // a narrow grid of prices so orders cross often and levels fill and empty
  price: fc.integer({ min: 95, max: 105 }),
  // halves are exact in binary, so quantities can be compared with toBe
  quantity: fc.integer({ min: 1, max: 20 }).map((q) => q / 2),
  tif: fc.nat(),
  owner: fc.nat(),
  ttl: fc.integer({ min: 1, max: 12 }),
  pick: fc.nat(),
  dt: fc.integer({ min: 0, max: 2 }),
  bad: fc.integer({ min: 0, max: 19 }),
});
const streamArb = fc.array(drawArb, { minLength: 1, maxLength: 250, size: 'max' }).map((d) => toOps(d));
/** long streams of mostly resting orders: long queues, compaction, many levels */
const deepArb = fc.array(drawArb, { minLength: 1500, maxLength: 2500 }).map((d) => toOps(d, true));
const policyArb = fc.constantFrom<SelfTradePolicy>('cancel-resting', 'cancel-incoming', 'cancel-both');
const runs = { numRuns: 200 };

/** Quantities per order id: what was asked for and where each unit went. */
class Ledger {
  private readonly rows = new Map<string, { submitted: number; filled: number; cancelled: number }>();

  row(id: string) {
    let r = this.rows.get(id);
    if (r === undefined) this.rows.set(id, (r = { submitted: 0, filled: 0, cancelled: 0 }));
    return r;
  }

  record(result: SubmitResult, openBefore: number, asked: number): void {
    // a rejected call may still have expired orders by its time
    for (const x of result.removed) this.row(x.order.id).cancelled += x.order.quantity;
    if (!result.accepted) return;
    this.row(result.id).submitted += asked - openBefore;
    this.row(result.id).cancelled += result.cancelledQuantity;
    for (const t of result.trades) {
      this.row(t.buyOrderId).filled += t.quantity;
      this.row(t.sellOrderId).filled += t.quantity;
    }
  }

  /** The ids whose quantities do not add up (expect() per id would dominate the run time). */
  unbalanced(book: BookApi): string[] {
    const out: string[] = [];
    for (const [id, r] of this.rows)
      if (r.filled + (book.get(id)?.quantity ?? 0) + r.cancelled !== r.submitted) out.push(id);
    return out;
  }
}

/** Replays a stream on both books, comparing every answer (and, after each step, what `each` checks). */
function replayBoth(
  ops: BookOp[],
  policy: SelfTradePolicy,
  each?: (fast: OrderBook, plain: ReferenceBook) => void,
) {
  const fast = new OrderBook({ selfTrade: policy });
  const plain = new ReferenceBook(policy);
  ops.forEach((op, i) => {
    expect(applyOp(fast, op), `op ${i} ${op.kind}`).toEqual(applyOp(plain, op));
    each?.(fast, plain);
  });
  return { fast, plain };
}

describe('OrderBook on random operation streams', () => {
  it('answers every call exactly as the plain reference book does', () => {
    fc.assert(
      fc.property(streamArb, policyArb, (ops, policy) => {
        replayBoth(ops, policy, (fast, plain) => {
          expect(fast.depth('buy')).toEqual(plain.depth('buy'));
          expect(fast.depth('sell')).toEqual(plain.depth('sell'));
          expect(fast.size).toBe(plain.size);
        });
      }),
      runs,
    );
  });

  it('agrees with the reference book on long streams that build a deep book', () => {
    fc.assert(
      fc.property(deepArb, policyArb, (ops, policy) => {
        const { fast, plain } = replayBoth(ops, policy);
        expect(fast.depth('buy')).toEqual(plain.depth('buy'));
        expect(fast.depth('sell')).toEqual(plain.depth('sell'));
        expect(fast.closeGate()).toEqual(plain.closeGate());
      }),
      { numRuns: 10 },
    );
  });

  it('conserves each order’s quantity: submitted = filled + resting + cancelled', () => {
    fc.assert(
      fc.property(streamArb, policyArb, (ops, policy) => {
        const book = new OrderBook({ selfTrade: policy });
        const ledger = new Ledger();
        for (const op of ops) {
          if (op.kind === 'submit') {
            ledger.record(book.submit(op.order, op.now), 0, op.order.quantity);
          } else if (op.kind === 'replace') {
            const open = book.get(op.id)?.quantity ?? 0;
            ledger.record(book.replace(op.id, op.change, op.now), open, op.change.quantity ?? open);
          } else if (op.kind === 'cancel') {
            ledger.row(op.id).cancelled += book.cancel(op.id);
          } else {
            const gone = op.kind === 'expire' ? book.expire(op.now) : book.closeGate();
            for (const o of gone) ledger.row(o.id).cancelled += o.quantity;
          }
          expect(ledger.unbalanced(book)).toEqual([]);
        }
      }),
      runs,
    );
  });

  it('never trades worse than either limit, and never leaves the book crossed', () => {
    fc.assert(
      fc.property(streamArb, policyArb, (ops, policy) => {
        const book = new OrderBook({ selfTrade: policy });
        const limits = new Map<string, number>();
        for (const op of ops) {
          let result: SubmitResult | undefined;
          if (op.kind === 'submit') {
            result = book.submit(op.order, op.now);
            // ids come back once their order has left the book
            if (result.accepted && op.order.type === 'limit') limits.set(op.order.id, op.order.price!);
            else if (result.accepted) limits.delete(op.order.id);
          } else if (op.kind === 'replace') {
            result = book.replace(op.id, op.change, op.now);
            if (result.accepted && op.change.price !== undefined) limits.set(op.id, op.change.price);
          } else {
            applyOp(book, op);
          }
          for (const t of result?.trades ?? []) {
            expect(t.quantity).toBeGreaterThan(0);
            expect(t.price).toBeLessThanOrEqual(limits.get(t.buyOrderId) ?? Number.POSITIVE_INFINITY);
            expect(t.price).toBeGreaterThanOrEqual(limits.get(t.sellOrderId) ?? Number.NEGATIVE_INFINITY);
            // the resting side set the price
            const maker = t.buyOrderId === result?.id ? t.sellOrderId : t.buyOrderId;
            expect(t.price).toBe(limits.get(maker));
          }
          const bid = book.bestBid();
          const ask = book.bestAsk();
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
        }
      }),
      runs,
    );
  });

  it('gives identical results for identical input', () => {
    fc.assert(
      fc.property(streamArb, policyArb, (ops, policy) => {
        const run = (stream: BookOp[]) => {
          const book = new OrderBook({ selfTrade: policy });
          return [...stream.map((op) => applyOp(book, op)), book.depth('buy'), book.depth('sell')];
        };
        expect(run(ops)).toEqual(run(structuredClone(ops)));
      }),
      { numRuns: 100 },
    );
  });

  it('leaves the book unchanged on every rejected call', () => {
    fc.assert(
      fc.property(streamArb, (ops) => {
        const book = new OrderBook();
        for (const op of ops) {
          const before = [book.depth('buy'), book.depth('sell'), book.size];
          const result = applyOp(book, op) as SubmitResult;
          if (
            (op.kind === 'submit' || op.kind === 'replace') &&
            !result.accepted &&
            result.removed.length === 0
          )
            expect([book.depth('buy'), book.depth('sell'), book.size]).toEqual(before);
        }
      }),
      runs,
    );
  });

  it('keeps fractional quantities consistent: a FOK either fills exactly or not at all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        (sizes, wanted) => {
          const book = new OrderBook();
          sizes.forEach((q, i) => {
            book.submit({
              id: `s${i}`,
              side: 'sell',
              type: 'limit',
              price: 10 + (i % 3),
              quantity: q,
              timeInForce: 'GTC',
            });
          });
          const order: TradeOrder = {
            id: 'fok',
            side: 'buy',
            type: 'market',
            quantity: wanted,
            timeInForce: 'FOK',
          };
          const r = book.submit(order);
          const filled = r.trades.reduce((s, t) => s + t.quantity, 0);
          if (r.trades.length === 0) expect(r.cancelledQuantity).toBe(wanted);
          else expect(r.cancelledQuantity).toBe(0);
          expect(r.trades.length === 0 || Math.abs(filled - wanted) <= 1e-9 * wanted).toBe(true);
        },
      ),
      runs,
    );
  });
});
