import { household as hh } from '../der/index.js';
import {
  type Agent,
  type AgentContext,
  type EngineEvent,
  type SessionInfo,
  sessionStartOf,
} from '../engine/index.js';
import { Prng } from '../random/index.js';
import { HOURS_PER_DAY, hoursOf, MS_PER_HOUR, minutesMs } from '../time/index.js';
import type { HomeSite } from './household.js';
import { dlmpAt, type LemPublicResult } from './lem-view.js';
import { ACCOUNTS, type HouseholdPlan, MARKETS, type MeterReadings, type Statement } from './ports.js';

export interface RetailerConfig {
  dayStartMs: number;
  homes: readonly HomeSite[];
  retailUsdPerKwh: readonly number[];
  feedInUsdPerKwh: readonly number[];
  /** the DSO's charge on every kWh a home imports, $/kWh */
  networkChargeUsdPerKwh: number;
  seed: number;
}

interface Position {
  key: string;
  bus: string;
  phases: number[];
  homes: number[];
}

interface HourBook {
  importKwh: number;
  exportKwh: number;
  /** energy sold (+) or bought (−) peer to peer, kWh */
  p2pKwh: number;
}

/**
 * The households' retailer and balance-responsible party: it buys and sells their planned
 * positions in the LEM's day-ahead market and their deviations in real time (per bus and
 * phases), sells them what they import under the hour's contract each chose (spot, forward or
 * option, priced on the LEM's prices at their bus: liu-small), credits their exports at the
 * feed-in tariff, and pays the DSO its network charge. Its statements also state what the two
 * top-down baselines — net metering and retail with feed-in — would have billed.
 */
export class RetailerAgent implements Agent {
  readonly id = ACCOUNTS.retailer;
  readonly kind = 'retailer';
  readonly interests = [
    'household.plan',
    'session.opened',
    'market.cleared@lem-da',
    'market.cleared@lem-rt',
    'market.fill',
    'meter.readings',
  ];
  private readonly plans = new Map<string, HouseholdPlan>();
  private readonly positions: Position[];
  private readonly homeIndex: Map<string, number>;
  private readonly books: HourBook[][];
  private dayAhead: LemPublicResult | undefined;
  /** per home and hour: the real-time prices of its intervals, $/MWh */
  private readonly rtUsdPerMwh: number[][][];
  private lastNetKw: number[] | undefined;
  private readonly r: Prng;

  constructor(private readonly c: RetailerConfig) {
    this.homeIndex = new Map(c.homes.map((h, i) => [h.id, i]));
    const byKey = new Map<string, Position>();
    c.homes.forEach((h, i) => {
      const key = `${h.bus}|${h.phases.join('.')}`;
      let p = byKey.get(key);
      if (!p) byKey.set(key, (p = { key, bus: h.bus, phases: h.phases, homes: [] }));
      p.homes.push(i);
    });
    this.positions = [...byKey.values()];
    this.books = c.homes.map(() =>
      Array.from({ length: HOURS_PER_DAY }, () => ({ importKwh: 0, exportKwh: 0, p2pKwh: 0 })),
    );
    this.rtUsdPerMwh = c.homes.map(() => Array.from({ length: HOURS_PER_DAY }, () => []));
    this.r = new Prng(c.seed ^ 0x5eed);
  }

  start(ctx: AgentContext): void {
    for (let h = 0; h < HOURS_PER_DAY; h++) {
      // the hour's statements once its last readings are in
      ctx.at(this.c.dayStartMs + (h + 1) * MS_PER_HOUR + minutesMs(1), () => this.bill(ctx, h));
    }
  }

  onEvent(e: EngineEvent, ctx: AgentContext): void {
    switch (e.type) {
      case 'household.plan': {
        const p = e.payload as HouseholdPlan;
        this.plans.set(p.household, p);
        return;
      }
      case 'session.opened':
        this.onSession(e.payload as SessionInfo, ctx);
        return;
      case 'market.cleared': {
        const p = e.payload as { market: string; session: string; result: LemPublicResult };
        if (p.market === MARKETS.lemDayAhead) this.dayAhead = p.result;
        else this.noteRealTime(p);
        return;
      }
      case 'market.fill':
        this.onFill(e.payload as { market: string; participant: string; session: string; kwh: number });
        return;
      case 'meter.readings':
        this.onReadings(e.payload as MeterReadings);
        return;
    }
  }

  private onSession(s: SessionInfo, ctx: AgentContext): void {
    if (s.market === MARKETS.lemDayAhead) ctx.at(s.gateMs - minutesMs(5), () => this.bidDayAhead(ctx, s));
    else if (s.market === MARKETS.lemRealTime) this.bidRealTime(ctx, s);
  }

  /** The homes' planned positions, netted per bus and phases, hour by hour. */
  private bidDayAhead(ctx: AgentContext, s: SessionInfo): void {
    for (const p of this.positions)
      for (let h = 0; h < HOURS_PER_DAY; h++) {
        let kwh = 0;
        for (const i of p.homes) kwh += this.plans.get(this.c.homes[i].id)?.netKwh[h] ?? 0;
        // an hour's kWh is its mean kW
        this.submitPosition(ctx, s, p, kwh, h, h, `da-${p.key}-${h}`);
      }
  }

  /** Each position's last metered net as its forecast for the next five minutes (persistence). */
  private bidRealTime(ctx: AgentContext, s: SessionInfo): void {
    const net = this.lastNetKw;
    if (!net) return;
    const h = Math.floor((s.deliveryStartMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY) return;
    for (const p of this.positions) {
      let kw = 0;
      for (const i of p.homes) kw += net[i];
      this.submitPosition(ctx, s, p, kw, h, 0, `rt-${p.key}-${s.deliveryStartMs}`);
    }
  }

  private submitPosition(
    ctx: AgentContext,
    s: SessionInfo,
    p: Position,
    kw: number,
    h: number,
    interval: number,
    cid: string,
  ): void {
    if (Math.abs(kw) < 1e-3) return;
    const deficit = kw < 0;
    ctx.submit({
      market: s.market,
      session: s.id,
      clientOrderId: cid,
      order: {
        type: deficit ? 'bid' : 'offer',
        bus: p.bus,
        phases: p.phases,
        intervals: [interval],
        steps: [
          {
            price: 1000 * (deficit ? this.c.retailUsdPerKwh[h] : this.c.feedInUsdPerKwh[h]),
            quantityKw: Math.abs(kw),
          },
        ],
      },
    });
  }

  private noteRealTime(p: { session: string; result: LemPublicResult }): void {
    const startMs = sessionStartOf(p.session);
    const h = Math.floor((startMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY) return;
    this.c.homes.forEach((home, i) => {
      const price = dlmpAt(p.result, home.bus, home.phases, 0);
      if (price !== undefined) this.rtUsdPerMwh[i][h].push(price);
    });
  }

  private onFill(f: { market: string; participant: string; session: string; kwh: number }): void {
    const i = this.homeIndex.get(f.participant);
    if (i === undefined || f.kwh === 0) return;
    if (f.market !== MARKETS.intraday && !f.market.startsWith(MARKETS.layer1(''))) return;
    const at = sessionStartOf(f.session);
    const h = Math.floor((at - this.c.dayStartMs) / MS_PER_HOUR);
    if (h >= 0 && h < HOURS_PER_DAY) this.books[i][h].p2pKwh += f.kwh;
  }

  private onReadings(m: MeterReadings): void {
    this.lastNetKw = m.netKw;
    const h = Math.floor((m.startMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY) return;
    const hours = hoursOf(m.intervalMinutes);
    m.netKw.forEach((kw, i) => {
      const b = this.books[i][h];
      if (kw >= 0) b.exportKwh += kw * hours;
      else b.importKwh -= kw * hours;
    });
  }

  /** One hour's statements: the imbalance after peer-to-peer trades, billed by contract and tariff. */
  private bill(ctx: AgentContext, h: number): void {
    const retail = this.c.retailUsdPerKwh[h];
    const feedIn = this.c.feedInUsdPerKwh[h];
    const charge = this.c.networkChargeUsdPerKwh;
    let chargesUsd = 0;
    this.c.homes.forEach((home, i) => {
      const b = this.books[i][h];
      const net = b.exportKwh - b.importKwh;
      if (b.exportKwh === 0 && b.importKwh === 0 && b.p2pKwh === 0) return;
      const imbalance = net - b.p2pKwh;
      const rt = this.rtUsdPerMwh[i][h];
      const da = this.dayAhead ? dlmpAt(this.dayAhead, home.bus, home.phases, h) : undefined;
      const spot =
        (rt.length > 0 ? rt.reduce((a, x) => a + x, 0) / rt.length : (da ?? 1000 * retail)) / 1000 + charge;
      let usd: number;
      let contract: Statement['contract'] = 'none';
      if (imbalance >= 0) usd = imbalance * feedIn;
      else {
        const planned = Math.max(0, -(this.plans.get(home.id)?.netKwh[h] ?? 0));
        const dayAhead = (da ?? 1000 * retail) / 1000 + charge;
        const purchase: hh.HourPurchase = {
          plannedKwh: planned,
          meteredKwh: -imbalance,
          dayAheadUsdPerKwh: dayAhead,
          expectedSpotUsdPerKwh: dayAhead,
          spotStdUsdPerKwh: 0.2 * dayAhead,
          meteredStdKwh: 0.1 * planned + 0.05,
          spotUsdPerKwh: spot,
        };
        const settled = hh.settleHourContracts(purchase, hh.DEFAULT_TERMS, this.r, `${home.id}-${h}`);
        contract = settled.chosen;
        usd = -settled.costUsd.chosen;
        chargesUsd += charge * -imbalance;
      }
      const s: Statement = {
        household: home.id,
        startMs: this.c.dayStartMs + h * MS_PER_HOUR,
        importKwh: b.importKwh,
        exportKwh: b.exportKwh,
        usd,
        contract,
        netMeteringUsd: net * retail,
        retailFeedInUsd: b.exportKwh * feedIn - b.importKwh * retail,
      };
      ctx.publish('retailer.statement', s, [home.id]);
    });
    if (chargesUsd > 0)
      ctx.publish(
        'retailer.network-charges',
        { startMs: this.c.dayStartMs + h * MS_PER_HOUR, to: ACCOUNTS.dso, usd: chargesUsd },
        [ACCOUNTS.dso],
      );
  }
}
