import { reputation } from '../der/index.js';
import type { Agent, AgentContext, EngineEvent } from '../engine/index.js';
import { hoursOf, MS_PER_HOUR, minutesMs, PRODUCTS } from '../time/index.js';
import type { FeederFlow } from './feeder-flow.js';
import type { HomeSite } from './household.js';
import { ACCOUNTS, type FlexCall, MARKETS, type MeterReadings, type RedFlag } from './ports.js';

export interface DsoConfig {
  homes: readonly HomeSite[];
  /** the most the DSO pays for flexibility, $/kWh */
  flexCapUsdPerKwh: number;
  /** red flags within an hour after which the DSO calls for flexibility: the condition persists */
  callAfterFlags: number;
  /** relief asked per 0.01 pu below the lower limit, as a share of the flexible demand of the VPPs' members */
  reliefSharePerCentPu: number;
  voltageLimitsPu: readonly [number, number];
  /**
   * the DSO flags a bus already when its voltage comes this close to a limit: an alarm band
   * inside the limits, so relief arrives before the violation (0 flags violations only)
   */
  alarmBandPu: number;
}

const RT_MINUTES = PRODUCTS.rt5.intervalMinutes;

interface Call {
  session: string;
  fromMs: number;
  toMs: number;
  /**
   * what each possible seller drew before the call, kW: a VPP its members' flexible demand, a
   * household its import; delivery is measured against it
   */
  baselineKw: Map<string, number>;
  soldKwh: Map<string, number>;
  duringKw: Map<string, number[]>;
}

/**
 * The DSO (Mishra §3.4.1, Horta §5.1.3): an AC power flow of the metered state every five
 * minutes, published; voltage red flags to the VPPs whose members can relieve the violation;
 * when flags persist, a call for flexibility in the flex market, cleared by price weighed by
 * the sellers' reputation (VPPs and households answer); after delivery, each seller's delivery
 * measured from the meters and recorded in its reputation.
 */
export class DsoAgent implements Agent {
  readonly id = ACCOUNTS.dso;
  readonly kind = 'dso';
  readonly interests = ['meter.readings', 'market.cleared@flex'];
  readonly book = new reputation.ReputationBook();
  /** when the recent flags were raised */
  private readonly flaggedMs: number[] = [];
  private readonly vppOf: string[];
  private readonly calls: Call[] = [];

  constructor(
    private readonly flow: FeederFlow,
    private readonly c: DsoConfig,
  ) {
    this.vppOf = c.homes.map((h) => h.vpp);
  }

  onEvent(e: EngineEvent, ctx: AgentContext): void {
    if (e.type === 'meter.readings') this.onReadings(e.payload as MeterReadings, ctx);
    else if (e.type === 'market.cleared')
      this.onCleared(
        e.payload as { session: string; result: { accepted?: { participant: string; kwh: number }[] } },
      );
  }

  private onReadings(m: MeterReadings, ctx: AgentContext): void {
    const g = this.flow.solve(m.startMs, m.netKw);
    ctx.publish('dso.grid', g);
    this.measureCalls(m, ctx);
    // the source bus is the transmission system's, upstream of the substation: not the DSO's to relieve
    const source = this.flow.map.buses[0]?.name.toLowerCase();
    const lowBus = this.flow
      .busesBelow(this.c.voltageLimitsPu[0] + this.c.alarmBandPu)
      .filter((b) => b.toLowerCase() !== source);
    if (lowBus.length === 0) return;
    this.flaggedMs.push(m.startMs);
    while (this.flaggedMs[0] <= m.startMs - MS_PER_HOUR) this.flaggedMs.shift();
    const depthCentPu = Math.max(0, (this.c.voltageLimitsPu[0] + this.c.alarmBandPu - g.minVoltagePu) * 100);
    const byVpp = this.flexByVpp(m.flexKw, new Set(lowBus.map((b) => b.toLowerCase())));
    const nextMs = m.startMs + 2 * minutesMs(RT_MINUTES);
    const reliefShare = this.c.reliefSharePerCentPu * Math.max(1, depthCentPu);
    for (const [vpp, x] of byVpp) {
      const flag: RedFlag = {
        startMs: nextMs,
        kind: g.lowBuses.length > 0 ? 'under-voltage' : 'under-voltage-alarm',
        buses: x.buses,
        reliefKw: reliefShare * x.kw,
        reliefShare,
        alarmBuses: lowBus,
      };
      if (flag.reliefKw > 1e-3) ctx.publish('dso.flag', flag, [vpp]);
    }
    if (this.flaggedMs.length >= this.c.callAfterFlags && !this.calls.some((c) => c.toMs > nextMs))
      this.callForFlexibility(ctx, nextMs, m, byVpp);
  }

  /**
   * Each VPP's members' flexible demand that can relieve the violation: its members on the
   * flagged buses, or, where no member sits there, all its members (on a radial feeder every
   * kW off the feeder lifts the voltage at its end).
   */
  private flexByVpp(
    flexKw: readonly number[],
    buses: Set<string>,
  ): Map<string, { kw: number; buses: string[] }> {
    const on = new Map<string, { kw: number; buses: string[] }>();
    const all = new Map<string, { kw: number; buses: string[] }>();
    this.c.homes.forEach((h, i) => {
      const a = all.get(h.vpp) ?? { kw: 0, buses: [] };
      a.kw += flexKw[i] ?? 0;
      all.set(h.vpp, a);
      if (buses.has(h.bus.toLowerCase())) {
        const x = on.get(h.vpp) ?? { kw: 0, buses: [] };
        x.kw += flexKw[i] ?? 0;
        if (!x.buses.includes(h.bus)) x.buses.push(h.bus);
        on.set(h.vpp, x);
      }
    });
    return on.size > 0 ? on : all;
  }

  private callForFlexibility(
    ctx: AgentContext,
    fromMs: number,
    m: MeterReadings,
    byVpp: Map<string, { kw: number }>,
  ): void {
    const toMs = fromMs + 3 * minutesMs(RT_MINUTES);
    const reliefKw = [...byVpp.values()].reduce((a, x) => a + x.kw, 0) * this.c.reliefSharePerCentPu;
    if (reliefKw < 1e-3) return;
    const now = ctx.now();
    const session = ctx.openSession(MARKETS.flex, {
      deliveryStartMs: fromMs,
      deliveryEndMs: toMs,
      openMs: now,
      gateMs: now + minutesMs(1),
    });
    this.calls.push({
      session,
      fromMs,
      toMs,
      baselineKw: this.sellerDemandKw(m),
      soldKwh: new Map(),
      duringKw: new Map(),
    });
    const call: FlexCall = { session, fromMs, toMs, reliefKw };
    ctx.publish('dso.flex-call', call);
    ctx.submit({
      market: MARKETS.flex,
      session,
      clientOrderId: `call-${session}`,
      order: {
        side: 'buy',
        type: 'limit',
        price: this.c.flexCapUsdPerKwh,
        quantity: reliefKw * hoursOf((toMs - fromMs) / 60000),
        timeInForce: 'GTC',
      },
    });
  }

  /** The flexibility market's accepted sellers: whose delivery the DSO will measure. */
  private onCleared(p: {
    session: string;
    result: { accepted?: { participant: string; kwh: number }[] };
  }): void {
    const call = this.calls.find((c) => c.session === p.session);
    if (!call) return;
    for (const a of p.result.accepted ?? [])
      call.soldKwh.set(a.participant, (call.soldKwh.get(a.participant) ?? 0) + a.kwh);
  }

  /** Each VPP's members' total of a per-site quantity. */
  private byVpp(perSite: readonly number[]): Map<string, number> {
    const out = new Map<string, number>();
    perSite.forEach((kw, i) => {
      out.set(this.vppOf[i], (out.get(this.vppOf[i]) ?? 0) + kw);
    });
    return out;
  }

  /**
   * What each possible seller draws in an interval, kW: a VPP its members' flexible demand (what
   * its fleet can shed), a household its import from the grid (what its appliances can move).
   */
  private sellerDemandKw(m: MeterReadings): Map<string, number> {
    const out = this.byVpp(m.flexKw);
    this.c.homes.forEach((h, i) => {
      out.set(h.id, Math.max(0, -(m.netKw[i] ?? 0)));
    });
    return out;
  }

  /** Delivery measured from the meters: each seller's demand below its baseline during the call. */
  private measureCalls(m: MeterReadings, ctx: AgentContext): void {
    for (const call of this.calls) {
      if (call.soldKwh.size === 0) continue;
      if (m.startMs >= call.fromMs && m.startMs < call.toMs) {
        const demand = this.sellerDemandKw(m);
        for (const seller of call.soldKwh.keys()) {
          const list = call.duringKw.get(seller) ?? [];
          list.push(demand.get(seller) ?? 0);
          call.duringKw.set(seller, list);
        }
      }
      if (m.startMs + minutesMs(m.intervalMinutes) === call.toMs) this.settleCall(call, m, ctx);
    }
  }

  private settleCall(call: Call, m: MeterReadings, ctx: AgentContext): void {
    const hours = hoursOf(m.intervalMinutes);
    for (const [seller, contractedKwh] of call.soldKwh) {
      const base = call.baselineKw.get(seller) ?? 0;
      const deliveredKwh = (call.duringKw.get(seller) ?? []).reduce(
        (a, kw) => a + Math.max(0, base - kw) * hours,
        0,
      );
      this.book.record({ account: seller, time: call.toMs, contractedKwh, deliveredKwh });
      const h = this.book.history(seller);
      ctx.publish(
        'dso.flex-settled',
        { session: call.session, seller, contractedKwh, deliveredKwh, reputation: h.reputation },
        [seller],
      );
    }
    call.soldKwh.clear();
  }
}
