import { PRODUCTS, type Product, sessionsOfDay } from '../time/index.js';
import type { Agent, AgentContext } from './agent.js';
import type { EngineEvent } from './event.js';
import type { ClearingOutcome, MarketService, OrderTicket, Session, Validation } from './market.js';

export interface TestOrder {
  side: 'buy' | 'sell';
  kwh: number;
}

/**
 * A call market for tests: an order is {side, kwh}; at the gate each buy is filled against
 * sells at 1 $/kWh up to the smaller side's volume, pro rata; it remembers what every clearing saw.
 */
export class TestCallMarket implements MarketService<TestOrder> {
  readonly kind = 'call';
  readonly cleared = new Map<string, string[]>();

  constructor(
    readonly id: string,
    readonly product: Product = PRODUCTS.ahead30,
  ) {}

  sessionsOfDay(dayStartMs: number) {
    return sessionsOfDay(this.product, dayStartMs);
  }

  validate(raw: unknown): Validation<TestOrder> {
    const o = raw as Partial<TestOrder> | null;
    if (typeof o !== 'object' || o === null)
      return { ok: false, field: '(root)', reason: 'must be an object' };
    if (o.side !== 'buy' && o.side !== 'sell')
      return { ok: false, field: 'side', reason: 'must be buy or sell' };
    if (!(typeof o.kwh === 'number' && o.kwh > 0)) return { ok: false, field: 'kwh', reason: 'must be > 0' };
    return { ok: true, order: { side: o.side, kwh: o.kwh } };
  }

  clear(s: Session, live: readonly OrderTicket<TestOrder>[]): ClearingOutcome {
    this.cleared.set(
      s.id,
      live.map((t) => t.orderId),
    );
    const total = (side: string) =>
      live.filter((t) => t.order.side === side).reduce((a, t) => a + t.order.kwh, 0);
    const buy = total('buy');
    const sell = total('sell');
    const volume = Math.min(buy, sell);
    const fills = live.map((t) => {
      const share = t.order.side === 'buy' ? t.order.kwh / buy : t.order.kwh / sell;
      const kwh = volume * share * (t.order.side === 'buy' ? -1 : 1);
      return { orderId: t.orderId, participant: t.participant, kwh, usd: kwh, usdPerKwh: 1 };
    });
    return { result: { volumeKwh: volume }, fills, lines: [] };
  }
}

/** An agent that records what it sees and runs a script of actions. */
export class ScriptedAgent implements Agent {
  readonly seen: EngineEvent[] = [];
  constructor(
    readonly id: string,
    readonly interests: readonly string[],
    private readonly onStart: (ctx: AgentContext) => void = () => {},
    private readonly onSee: (e: EngineEvent, ctx: AgentContext) => void = () => {},
    readonly kind = 'test',
  ) {}

  start(ctx: AgentContext): void {
    this.onStart(ctx);
  }

  onEvent(e: EngineEvent, ctx: AgentContext): void {
    this.seen.push(e);
    this.onSee(e, ctx);
  }
}
