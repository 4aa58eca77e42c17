import type { ClearingOutcome, Fill, MarketService, OrderTicket, Validation } from '../engine/index.js';
import type { TradeOrder } from '../market/index.js';
import type { Product } from '../time/index.js';
import { type PriceLimits, validateTradeOrder } from './trade-orders.js';

export interface FlexMarketConfig extends PriceLimits {
  id: string;
  product: Product;
  /** the only participant that may buy: the DSO that calls for flexibility */
  buyer: string;
  /** a seller's reputation in (0, 1]: its asks are ranked as price ÷ reputation */
  reputationOf: (participant: string) => number;
}

/**
 * Calls for flexibility (Horta §5.1.3): the DSO opens a session when it needs relief; sellers
 * (VPPs, households) ask a price for kWh of reduction; at the gate the asks are taken in order of
 * price weighed by each seller's reputation until the call is met, each paid its own ask. The
 * market has no sessions of its own: the DSO opens them.
 */
export class FlexMarket implements MarketService<TradeOrder> {
  readonly id: string;
  readonly kind = 'flexibility';
  readonly product: Product;
  readonly operator: string;

  constructor(private readonly config: FlexMarketConfig) {
    this.id = config.id;
    this.product = config.product;
    this.operator = config.buyer;
  }

  sessionsOfDay() {
    return [];
  }

  validate(raw: unknown, participant: string): Validation<TradeOrder> {
    const v = validateTradeOrder(raw, participant, { ...this.config, call: true });
    if (v.ok && v.order.side === 'buy' && participant !== this.config.buyer)
      return { ok: false, field: 'side', reason: `only ${this.config.buyer} buys flexibility here` };
    return v;
  }

  clear(_s: unknown, live: readonly OrderTicket<TradeOrder>[]): ClearingOutcome {
    const fill = new Map<string, Fill>(
      live.map((t) => [t.orderId, { orderId: t.orderId, participant: t.participant, kwh: 0, usd: 0 }]),
    );
    const buys = live.filter((t) => t.order.side === 'buy');
    const asks = live
      .filter((t) => t.order.side === 'sell')
      .map((t) => ({
        t,
        rank: (t.order.price ?? 0) / Math.max(1e-6, this.config.reputationOf(t.participant)),
      }))
      .sort((a, b) => a.rank - b.rank || a.t.seq - b.t.seq);
    const accepted: { participant: string; kwh: number; usdPerKwh: number }[] = [];
    let volumeKwh = 0;
    for (const b of buys) {
      let need = b.order.quantity;
      for (const a of asks) {
        const left = a.t.order.quantity - fill.get(a.t.orderId)!.kwh;
        const price = a.t.order.price ?? 0;
        if (need <= 1e-9 || left <= 1e-9 || price > (b.order.price ?? 0)) continue;
        const q = Math.min(need, left);
        const bf = fill.get(b.orderId)!;
        const sf = fill.get(a.t.orderId)!;
        sf.kwh += q;
        sf.usd += q * price;
        bf.kwh -= q;
        bf.usd -= q * price;
        need -= q;
        volumeKwh += q;
        accepted.push({ participant: a.t.participant, kwh: q, usdPerKwh: price });
      }
    }
    for (const f of fill.values()) if (f.kwh !== 0) f.usdPerKwh = Math.abs(f.usd / f.kwh);
    return {
      result: {
        asks: asks.length,
        accepted,
        volumeKwh,
        rankedBy: 'price ÷ reputation',
        payment: 'pay as bid',
      },
      fills: [...fill.values()],
      lines: [],
    };
  }
}
