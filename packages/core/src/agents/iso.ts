import { regulation } from '../der/index.js';
import type { Agent, AgentContext } from '../engine/index.js';
import {
  HOURS_PER_DAY,
  MINUTES_PER_HOUR,
  MS_PER_HOUR,
  minutesMs,
  PRODUCTS,
  SECONDS_PER_HOUR,
} from '../time/index.js';
import { ACCOUNTS, type IsoPrices, MARKETS, type RegulationSignal } from './ports.js';

export interface IsoConfig {
  dayStartMs: number;
  /** day-ahead prices at the substation, $/MWh, one an hour */
  dayAheadUsdPerMwh: readonly number[];
  /** real-time prices, $/MWh, one an hour (each hour's twelve 5-minute intervals share it) */
  realTimeUsdPerMwh: readonly number[];
  /** the regulation capacity the ISO buys from the feeder's VPPs every 15 minutes, kWh */
  ancillaryDemandKwh: number;
  /** what it pays at most for it: this share of the day-ahead energy price */
  ancillaryPriceShare: number;
  /** the seed of the day's regulation signal */
  regulationSeed: number;
}

/** The regulation signal's step, s, and how long before its quarter hour each batch is sent. */
const REGULATION_STEP_S = 10;
const REGULATION_LEAD_MINUTES = 1;

/**
 * The ISO boundary: publishes its day-ahead prices before the LEM's gate and each hour's
 * real-time prices before the hour, and buys regulation capacity in the 15-minute ancillary
 * market (Layer II): the demand the VPPs' commitments meet.
 */
export class IsoAgent implements Agent {
  readonly id = ACCOUNTS.iso;
  readonly kind = 'iso';
  readonly interests = ['session.opened'];

  constructor(private readonly c: IsoConfig) {}

  start(ctx: AgentContext): void {
    const c = this.c;
    this.publish(ctx, 'day-ahead', c.dayStartMs, MINUTES_PER_HOUR, [...c.dayAheadUsdPerMwh]);
    c.realTimeUsdPerMwh.forEach((p, h) => {
      const startMs = c.dayStartMs + h * MS_PER_HOUR;
      // published ten minutes before the hour: the real-time gates of its intervals come later
      ctx.at(Math.max(ctx.now(), startMs - minutesMs(10)), () => {
        this.publish(ctx, 'real-time', startMs, MINUTES_PER_HOUR, [p]);
      });
    });
    if (c.ancillaryDemandKwh > 0) this.signalRegulation(ctx);
  }

  /** The day's RegD signal, a quarter hour at a time, to whoever regulates in it (Layer II). */
  private signalRegulation(ctx: AgentContext): void {
    const quarterMs = minutesMs(PRODUCTS.ahead15.intervalMinutes);
    const perQuarter = quarterMs / 1000 / REGULATION_STEP_S;
    const signal = regulation.regDSignal({
      seed: this.c.regulationSeed,
      durationS: HOURS_PER_DAY * SECONDS_PER_HOUR,
      stepS: REGULATION_STEP_S,
    });
    for (let q = 0; q * perQuarter < signal.length; q++) {
      const startMs = this.c.dayStartMs + q * quarterMs;
      const payload: RegulationSignal = {
        startMs,
        stepS: REGULATION_STEP_S,
        signal: Array.from(
          signal.subarray(q * perQuarter, (q + 1) * perQuarter),
          (x) => Math.round(x * 1e4) / 1e4,
        ),
      };
      ctx.at(Math.max(ctx.now(), startMs - minutesMs(REGULATION_LEAD_MINUTES)), () => {
        ctx.publish('iso.regulation', payload);
      });
    }
  }

  onEvent(e: { payload: unknown }, ctx: AgentContext): void {
    const s = e.payload as { id: string; market: string; deliveryStartMs: number };
    if (s.market !== MARKETS.ancillary || this.c.ancillaryDemandKwh <= 0) return;
    const h = Math.floor((s.deliveryStartMs - this.c.dayStartMs) / MS_PER_HOUR);
    const price = this.c.dayAheadUsdPerMwh[h];
    if (price === undefined || price <= 0) return;
    ctx.submit({
      market: MARKETS.ancillary,
      session: s.id,
      clientOrderId: `reg-${s.id}`,
      order: {
        side: 'buy',
        type: 'limit',
        price: (this.c.ancillaryPriceShare * price) / 1000,
        quantity: this.c.ancillaryDemandKwh,
        timeInForce: 'GTC',
      },
    });
  }

  private publish(
    ctx: AgentContext,
    market: IsoPrices['market'],
    startMs: number,
    minutes: number,
    p: number[],
  ) {
    const payload: IsoPrices = { market, startMs, intervalMinutes: minutes, usdPerMwh: p };
    ctx.publish('iso.prices', payload);
  }
}
