import { controlOwnership, household as hh } from '../der/index.js';
import {
  type Agent,
  type AgentContext,
  type EngineEvent,
  type SessionInfo,
  sessionStartOf,
} from '../engine/index.js';
import { HOURS_PER_DAY, hoursOf, MS_PER_HOUR, minutesMs, PRODUCTS } from '../time/index.js';
import { dlmpAt, type LemPublicResult } from './lem-view.js';
import { type Deferral, type FlexCall, type HouseholdPlan, MARKETS, type RuleAction } from './ports.js';

/** The least a household asks to move a kWh for the DSO: moving costs it attention if not money. */
const FLEX_ASK_FLOOR_USD_PER_KWH = 0.02;

/** A job offered to a call for flexibility: paused through the call, or started an hour later as a whole. */
interface FlexJob {
  id: string;
  whole: boolean;
}

/** Where a home connects and whom it belongs to. */
export interface HomeSite {
  id: string;
  bus: string;
  phases: number[];
  microgrid: string;
  vpp: string;
}

/** What a household's energy manager knows of its own home: forecasts, appliances, its devices' leases. */
export interface HomePort {
  site: HomeSite;
  household: hh.Household;
  /** its day-ahead forecast of its net export per hour without the appliance jobs, kWh */
  dayAheadNetKwh: readonly number[];
  /** the forecast it has `leadHours` before hour `hour` (sharper the nearer), kWh */
  updatedNetKwh(hour: number, leadHours: number): number;
  /** the shared devices' lease registry of the home (its VPP's controls) */
  leases: controlOwnership.LeaseRegistry;
}

export interface HouseholdConfig {
  dayStartMs: number;
  /** the tariff the household faces when it plans its appliances, $/kWh per hour */
  retailUsdPerKwh: readonly number[];
  /** deviations smaller than this are not traded, kWh */
  thresholdKwh: number;
}

/**
 * A household's energy manager (Horta §4.4): the day-ahead plan of its appliances on its
 * price forecast (der/household + der/hems), its expected surplus and deficit offered and bid in
 * its microgrid's Layer I market slot by slot, an hourly intraday re-plan whose deviations it
 * trades in the continuous market, real-time following (an interruptible job leaves an interval
 * whose real-time price exceeds what the household would pay), answers to the DSO's calls for
 * flexibility with the appliance energy it can move out of the call, leases of its shared
 * devices to its VPP for the hours the VPP sold their flexibility, and the home's own rules
 * (switch the devices off before a costly interval), which act only where the home holds the
 * devices' lease (control-ownership: never against its VPP).
 */
export class HouseholdAgent implements Agent {
  readonly id: string;
  readonly kind = 'household';
  readonly interests = [
    'session.opened',
    'market.cleared@lem-rt',
    'market.fill',
    'vpp.lease',
    'dso.flex-call',
  ];
  private plan: hh.DayAheadPlan | undefined;
  /** net position sold (+) or bought (−) in the intraday market per hour, kWh */
  private readonly intradayKwh = new Array<number>(HOURS_PER_DAY).fill(0);
  private readonly deferredMs = new Set<number>();
  /** the calls for flexibility it answered, by flex session: the window and the jobs it would pause */
  private readonly flexOffers = new Map<string, { call: FlexCall; jobs: FlexJob[]; kwh: number }>();

  /** the home's own event-condition-action rules, acting only on what the household holds the lease of */
  private readonly rules: controlOwnership.RuleEngine;

  constructor(
    private readonly home: HomePort,
    private readonly c: HouseholdConfig,
  ) {
    this.id = home.site.id;
    // times here are the engine's, in ms: remember an event an hour
    this.rules = new controlOwnership.RuleEngine(
      [
        {
          id: 'setback-on-price',
          owner: this.id,
          on: 'real-time-price',
          // the price's ratio to the tariff of its hour
          when: (e) => (e.value ?? 0) > 1,
          resource: this.flexResource,
          command: 'off',
        },
      ],
      home.leases,
      MS_PER_HOUR,
    );
  }

  /** the home's switchable devices (air conditioners, water heaters, the EV): one resource */
  private get flexResource(): string {
    return `${this.id}/flex`;
  }

  start(ctx: AgentContext): void {
    const plan = hh.planDayAhead(this.home.household, 'prediction', this.c.retailUsdPerKwh);
    this.plan = plan;
    const payload: HouseholdPlan = {
      household: this.id,
      netKwh: this.home.dayAheadNetKwh.map((n, h) => n - plan.schedule.loadKwh[h]),
      jobKwh: plan.schedule.loadKwh,
      jobs: plan.schedule.jobs.map((j) => {
        const job = this.home.household.jobs.find((x) => x.id === j.id)!;
        return {
          id: j.id,
          hours: j.hours,
          energyKwhPerHour: job.energyKwhPerHour,
          interruptible: job.interruptible,
        };
      }),
    };
    ctx.publish('household.plan', payload, [this.id]);
    // each hour: the intraday re-plan of the hour after next
    for (let h = 0; h + 2 < HOURS_PER_DAY; h++)
      ctx.at(this.c.dayStartMs + h * MS_PER_HOUR, () => this.replan(ctx, h + 2));
  }

  onEvent(e: EngineEvent, ctx: AgentContext): void {
    if (e.type === 'session.opened') this.onSession(e.payload as SessionInfo, ctx);
    else if (e.type === 'market.cleared')
      this.followRealTime(e.payload as { session: string; result: LemPublicResult }, ctx);
    else if (e.type === 'market.fill')
      this.onFill(e.payload as { market: string; kwh: number; session: string; usdPerKwh?: number }, ctx);
    else if (e.type === 'dso.flex-call') this.answerFlexCall(e.payload as FlexCall, ctx);
    else if (e.type === 'vpp.lease')
      this.grantLease(e.payload as { holder: string; fromMs: number; toMs: number }, ctx);
  }

  private onSession(s: SessionInfo, ctx: AgentContext): void {
    if (s.market !== MARKETS.layer1(this.home.site.microgrid) || !this.plan) return;
    const h = Math.floor((s.deliveryStartMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY) return;
    const share = (s.deliveryEndMs - s.deliveryStartMs) / MS_PER_HOUR;
    const netKwh = (this.home.dayAheadNetKwh[h] - this.plan.schedule.loadKwh[h]) * share;
    if (Math.abs(netKwh) < this.c.thresholdKwh) return;
    const p = hh.limitPrices(this.home.household, this.c.retailUsdPerKwh[h] * 0.5);
    ctx.submit({
      market: s.market,
      session: s.id,
      clientOrderId: `l1-${s.deliveryStartMs}`,
      order: {
        side: netKwh > 0 ? 'sell' : 'buy',
        type: 'limit',
        price: netKwh > 0 ? p.sellUsdPerKwh : p.buyUsdPerKwh,
        quantity: Math.abs(netKwh),
        timeInForce: 'GTC',
      },
    });
  }

  /** The hourly re-plan: the newer forecast of `hour` against what is committed for it. */
  private replan(ctx: AgentContext, hour: number): void {
    if (!this.plan) return;
    const committed =
      this.home.dayAheadNetKwh[hour] - this.plan.schedule.loadKwh[hour] + this.intradayKwh[hour];
    const updated = this.home.updatedNetKwh(hour, 2) - this.plan.schedule.loadKwh[hour];
    const dev = updated - committed;
    if (Math.abs(dev) < this.c.thresholdKwh) return;
    const deliveryMs = this.c.dayStartMs + hour * MS_PER_HOUR;
    const session = ctx
      .sessions(MARKETS.intraday)
      .find((s) => s.deliveryStartMs === deliveryMs && s.state === 'open');
    if (!session) return;
    const p = hh.limitPrices(this.home.household, this.c.retailUsdPerKwh[hour] * 0.5);
    ctx.submit({
      market: MARKETS.intraday,
      session: session.id,
      clientOrderId: `id-${hour}`,
      order: {
        side: dev > 0 ? 'sell' : 'buy',
        type: 'limit',
        price: dev > 0 ? p.sellUsdPerKwh : p.buyUsdPerKwh,
        quantity: Math.abs(dev),
        timeInForce: 'GTC',
      },
    });
  }

  private onFill(
    f: { market: string; kwh: number; session: string; usdPerKwh?: number },
    ctx: AgentContext,
  ): void {
    if (f.market === MARKETS.flex) {
      this.deliverFlexibility(f, ctx);
      return;
    }
    if (f.market !== MARKETS.intraday || f.kwh === 0) return;
    const at = sessionStartOf(f.session);
    const h = Math.floor((at - this.c.dayStartMs) / MS_PER_HOUR);
    if (h >= 0 && h < HOURS_PER_DAY) this.intradayKwh[h] += f.kwh;
  }

  /**
   * Real-time following: when an interval's price at the home's bus exceeds the tariff of its
   * hour, the HEMS takes load out of the next interval — an interruptible job's energy waits an
   * hour, a job due to start in the coming hour starts an hour later where its window allows
   * (the hurdle rule with the real-time price as the realized one).
   */
  private followRealTime(p: { session: string; result: LemPublicResult }, ctx: AgentContext): void {
    if (!this.plan) return;
    const usdPerMwh = dlmpAt(p.result, this.home.site.bus, this.home.site.phases, 0);
    if (usdPerMwh === undefined) return;
    const startMs = sessionStartOf(p.session);
    const h = Math.floor((startMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY - 1 || usdPerMwh / 1000 <= this.c.retailUsdPerKwh[h]) return;
    const stepMs = minutesMs(PRODUCTS.rt5.intervalMinutes);
    const nextMs = startMs + stepMs;
    this.runRules(ctx, p.session, nextMs, stepMs, usdPerMwh / 1000 / this.c.retailUsdPerKwh[h]);
    const nh = Math.floor((nextMs - this.c.dayStartMs) / MS_PER_HOUR);
    for (const j of this.plan.schedule.jobs) {
      const job = this.home.household.jobs.find((x) => x.id === j.id)!;
      const last = job.earliestHour + job.windowHours - 1;
      const defer = (fromMs: number, spanMs: number, kwh: number) => {
        const d: Deferral = {
          household: this.id,
          job: j.id,
          fromMs,
          toMs: fromMs + MS_PER_HOUR,
          spanMs,
          kwh,
          usdPerKwh: usdPerMwh / 1000,
        };
        ctx.publish('household.defer', d, [this.id]);
      };
      if (
        job.interruptible &&
        j.hours.includes(nh) &&
        !this.deferredMs.has(nextMs) &&
        Math.max(...j.hours) < last
      ) {
        this.deferredMs.add(nextMs);
        defer(nextMs, stepMs, job.energyKwhPerHour * hoursOf(PRODUCTS.rt5.intervalMinutes));
      } else if (
        !job.interruptible &&
        j.hours[0] === nh &&
        nextMs === this.c.dayStartMs + nh * MS_PER_HOUR &&
        Math.max(...j.hours) < last
      ) {
        // not started yet: the whole run moves an hour later
        defer(nextMs, j.hours.length * MS_PER_HOUR, job.energyKwhPerHour * j.hours.length);
        j.hours = j.hours.map((x) => x + 1);
      }
    }
  }

  /**
   * A call for flexibility: interruptible jobs planned to run through the call can pause for it
   * and finish an hour later, and a job planned to start as the call begins can start an hour
   * later, where their windows allow. The household asks what moving that energy an hour later
   * costs it on its tariff, at least FLEX_ASK_FLOOR_USD_PER_KWH.
   */
  private answerFlexCall(call: FlexCall, ctx: AgentContext): void {
    if (!this.plan) return;
    const h = Math.floor((call.fromMs - this.c.dayStartMs) / MS_PER_HOUR);
    if (h < 0 || h >= HOURS_PER_DAY - 1) return;
    const hourStartMs = (x: number) => this.c.dayStartMs + x * MS_PER_HOUR;
    // how long a job that runs in hour x runs inside the call, h
    const inCallH = (x: number) =>
      Math.max(0, Math.min(call.toMs, hourStartMs(x + 1)) - Math.max(call.fromMs, hourStartMs(x))) /
      MS_PER_HOUR;
    const jobs: FlexJob[] = [];
    let kwh = 0;
    for (const j of this.plan.schedule.jobs) {
      const job = this.home.household.jobs.find((x) => x.id === j.id)!;
      if (Math.max(...j.hours) >= job.earliestHour + job.windowHours - 1) continue;
      const startMs = hourStartMs(j.hours[0]);
      const whole = !job.interruptible;
      // a job that cannot pause can still start later, if it has not started yet
      if (whole && !(startMs > ctx.now() && startMs < call.toMs)) continue;
      const hoursInCall = j.hours.reduce((a, x) => a + inCallH(x), 0);
      if (hoursInCall === 0) continue;
      jobs.push({ id: j.id, whole });
      kwh += job.energyKwhPerHour * hoursInCall;
    }
    if (kwh < this.c.thresholdKwh) return;
    this.flexOffers.set(call.session, { call, jobs, kwh });
    const moveUsdPerKwh = this.c.retailUsdPerKwh[h + 1] - this.c.retailUsdPerKwh[h];
    ctx.submit({
      market: MARKETS.flex,
      session: call.session,
      clientOrderId: `flex-${call.session}`,
      order: {
        side: 'sell',
        type: 'limit',
        price: Math.max(FLEX_ASK_FLOOR_USD_PER_KWH, moveUsdPerKwh),
        quantity: kwh,
        timeInForce: 'GTC',
      },
    });
  }

  /**
   * Sold flexibility: the jobs offered leave the call — a paused job's energy in the call an hour
   * later, a job not yet started as a whole an hour later. All of it moves once sold, even
   * where the DSO took only part: a job runs or it does not.
   */
  private deliverFlexibility(
    f: { kwh: number; session: string; usdPerKwh?: number },
    ctx: AgentContext,
  ): void {
    const offer = this.flexOffers.get(f.session);
    if (!offer || f.kwh <= 0 || !this.plan) return;
    this.flexOffers.delete(f.session);
    const { call } = offer;
    const step = minutesMs(PRODUCTS.rt5.intervalMinutes);
    for (let t = call.fromMs; t < call.toMs; t += step) this.deferredMs.add(t);
    for (const { id, whole } of offer.jobs) {
      const job = this.home.household.jobs.find((x) => x.id === id)!;
      const planned = this.plan.schedule.jobs.find((x) => x.id === id)!;
      const spanMs = whole ? planned.hours.length * MS_PER_HOUR : call.toMs - call.fromMs;
      const d: Deferral = {
        household: this.id,
        job: id,
        fromMs: call.fromMs,
        toMs: call.fromMs + MS_PER_HOUR,
        spanMs,
        kwh: job.energyKwhPerHour * (spanMs / MS_PER_HOUR),
        usdPerKwh: f.usdPerKwh ?? 0,
      };
      ctx.publish('household.defer', d, [this.id]);
      if (whole) planned.hours = planned.hours.map((x) => x + 1);
    }
  }

  /**
   * A costly interval ahead: the home takes its devices' lease for it where no one holds them
   * (its VPP may hold them for the hours it sold) and its rules act on what it holds.
   */
  private runRules(
    ctx: AgentContext,
    eventId: string,
    fromMs: number,
    spanMs: number,
    priceRatio: number,
  ): void {
    const toMs = fromMs + spanMs;
    this.home.leases.acquire({ resource: this.flexResource, holder: this.id, from: fromMs, to: toMs });
    const outcomes = this.rules.handle({
      id: eventId,
      type: 'real-time-price',
      time: fromMs,
      value: priceRatio,
    });
    for (const o of outcomes) {
      const action: RuleAction = {
        household: this.id,
        rule: o.rule,
        resource: o.resource,
        command: 'off',
        fromMs,
        toMs,
        done: o.done,
        ...(o.reason ? { reason: o.reason } : {}),
      };
      ctx.publish('household.rule', action, [this.id, this.home.site.vpp]);
    }
  }

  /** Its VPP asks for control of the home's flexible devices over a window it sold. */
  private grantLease(p: { holder: string; fromMs: number; toMs: number }, ctx: AgentContext): void {
    if (p.holder !== this.home.site.vpp) return;
    const r = this.home.leases.acquire({
      resource: `${this.id}/flex`,
      holder: p.holder,
      from: p.fromMs,
      to: p.toMs,
    });
    ctx.publish(
      'household.lease',
      {
        holder: p.holder,
        fromMs: p.fromMs,
        toMs: p.toMs,
        granted: r.granted,
        ...(r.granted ? {} : { reason: r.reason }),
      },
      [this.id, p.holder],
    );
  }
}
