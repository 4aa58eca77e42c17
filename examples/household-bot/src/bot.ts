import type { DlmpView, GridTierClient } from '@gridtier/sdk';
import { type Appliance, type DayPlan, planDay } from './plan.js';

const MS_PER_HOUR = 3_600_000;
const HOURS = 24;

export interface HouseholdBotConfig {
  /** where the home connects: its bus and phase nodes on the feeder */
  bus: string;
  phases: number[];
  /** demand of everything that is not planned, kW */
  baseLoadKw: number;
  appliances: Appliance[];
  /** its real-time bid is this multiple of its node's day-ahead price (what it is willing to pay) */
  bidMarkup: number;
  dayAheadMarket?: string;
  realTimeMarket?: string;
}

/**
 * A household outside the server, trading through the API as any other client: once the
 * day-ahead local energy market has published its DLMPs, it plans its appliances on its own
 * node's prices (der/hems), then bids its demand — base load plus what the plan runs in that
 * hour — into every real-time interval as it opens. Each bid's client order id names its
 * interval, so a bot restarted mid-day never bids twice.
 */
export class HouseholdBot {
  plan: DayPlan | undefined;
  /** the planned day's start, and its node's day-ahead prices, $/MWh */
  dayStartMs: number | undefined;
  pricesUsdPerMwh: number[] = [];
  private readonly bidOn = new Set<string>();
  private readonly da: string;
  private readonly rt: string;

  constructor(
    private readonly client: GridTierClient,
    private readonly config: HouseholdBotConfig,
  ) {
    this.da = config.dayAheadMarket ?? 'lem-da';
    this.rt = config.realTimeMarket ?? 'lem-rt';
  }

  /** One look at the markets: plans once the day-ahead prices are out, bids the open intervals. */
  async tick(): Promise<{ bids: number }> {
    if (!this.plan) await this.planOnPrices();
    if (!this.plan || this.dayStartMs === undefined) return { bids: 0 };
    const open = (await this.client.markets({ market: this.rt, state: 'open' })).sessions;
    let bids = 0;
    for (const s of open) {
      const hour = Math.floor((Date.parse(s.deliveryStart) - this.dayStartMs) / MS_PER_HOUR);
      if (this.bidOn.has(s.id) || hour < 0 || hour >= HOURS) continue;
      await this.client.submit({
        market: this.rt,
        session: s.id,
        clientOrderId: `rt-${s.id}`,
        order: {
          type: 'bid',
          bus: this.config.bus,
          phases: this.config.phases,
          steps: [
            {
              price: this.config.bidMarkup * this.pricesUsdPerMwh[hour],
              quantityKw: this.config.baseLoadKw + this.plan.kwByHour[hour],
            },
          ],
        },
      });
      this.bidOn.add(s.id);
      bids++;
    }
    return { bids };
  }

  /** Runs `tick` every `everyMs` until the signal aborts. */
  async run(signal: AbortSignal, everyMs = 1000): Promise<void> {
    while (!signal.aborted) {
      await this.tick();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  private async planOnPrices(): Promise<void> {
    const cleared = (await this.client.dlmps({ market: this.da })).dlmps.at(-1);
    if (!cleared) return;
    this.pricesUsdPerMwh = nodePrices(cleared, this.config.bus, this.config.phases);
    this.dayStartMs = Date.parse(cleared.deliveryStart);
    this.plan = planDay(this.config.appliances, this.pricesUsdPerMwh);
  }
}

/** A bus's price per interval: the mean of its phases' DLMPs, $/MWh. */
export function nodePrices(d: DlmpView, bus: string, phases: readonly number[]): number[] {
  const at = phases.map((p) => {
    const i = d.nodes.indexOf(`${bus}.${p}`);
    if (i < 0) throw new RangeError(`the clearing ${d.session} has no DLMP at ${bus}.${p}`);
    return i;
  });
  return d.intervals.map((iv) => at.reduce((a, i) => a + iv.total[i], 0) / at.length);
}
