import { type devices, vpp as vppRoom } from '../der/index.js';
import {
  type Agent,
  type AgentContext,
  type EngineEvent,
  type Fill,
  type SessionInfo,
  sessionStartOf,
} from '../engine/index.js';
import {
  HOURS_PER_DAY,
  hoursOf,
  MS_PER_HOUR,
  minutesMs,
  PRODUCTS,
  SECONDS_PER_MINUTE,
} from '../time/index.js';
import type { HomeSite } from './household.js';
import { dlmpAt, type LemPublicResult } from './lem-view.js';
import {
  type FleetGoal,
  type FleetTelemetry,
  MARKETS,
  type RedFlag,
  type RegulationSignal,
} from './ports.js';

/** What an aggregator knows of its fleet: its members, the devices' make-up, expected flexible demand. */
export interface FleetPort {
  vpp: string;
  members: readonly HomeSite[];
  /** the fleet's devices, for the supply function's yield statistics */
  spec: devices.FleetSpec;
  seed: number;
  /** the members' expected flexible demand per hour, kW, and each member's share of it */
  flexKwByHour: readonly number[];
  memberShare: readonly number[];
}

export interface VppConfig {
  dayStartMs: number;
  /** the supply function's prices per tier, $/MWh */
  pricesUsdPerMwh: { green: number; yellow: number; red: number };
  /** required delivery confidence of each offered step */
  confidence: number;
  /** the day-ahead offer's energy budget: this many hours of the confident reduction */
  maxHours: number;
  /** share of the confident reduction offered day ahead; the rest is kept for Layer II and real time */
  forwardShare: number;
  /** an undelivered commitment costs this many times its price */
  penaltyFactor: number;
}

const RT_MINUTES = PRODUCTS.rt5.intervalMinutes;

/**
 * A VPP aggregator (Mishra §3.4; Papalexopoulos §III): its fleet's supply function (der/vpp,
 * from the devices' own yield statistics) offered in the LEM's day-ahead market at its members'
 * buses, regulation capacity committed in the 15-minute ancillary market (Layer II), deviations
 * covered VPP-to-VPP every 5 minutes (Layer III), the real-time price followed, the DSO's red
 * flags and calls for flexibility answered — all as one goal per interval for the tiered
 * controller that steers its devices.
 */
export class VppAgent implements Agent {
  readonly id: string;
  readonly kind = 'vpp';
  readonly interests = [
    'session.opened',
    'market.fill',
    'market.cleared@lem-rt',
    'world.fleet',
    'dso.flag',
    'iso.regulation',
  ];
  /** the ISO's regulation signal per quarter-hour start */
  private readonly regulation = new Map<number, RegulationSignal>();
  private steps: vppRoom.SupplyStep[] = [];
  private confidentKw = 0;
  /** demand reduction sold per hour day ahead, kW */
  private readonly dayAheadKw = new Array<number>(HOURS_PER_DAY).fill(0);
  /** regulation capacity committed per 15-minute session start, kW */
  private readonly ancillaryKw = new Map<number, number>();
  /** Layer III: reduction sold (+) or bought (−) per 5-minute interval start, kW */
  private readonly layer3Kw = new Map<number, number>();
  /** extra reduction until a time: real-time price response, red flags, flexibility sold */
  private readonly extra: { untilMs: number; kw: number; why: string }[] = [];
  private last: FleetTelemetry | undefined;
  private meanFullKw = 0;
  private telemetry = 0;

  constructor(
    private readonly fleet: FleetPort,
    private readonly c: VppConfig,
  ) {
    this.id = fleet.vpp;
  }

  start(ctx: AgentContext): void {
    this.steps = vppRoom.supplyFunction(this.fleet.spec, {
      seed: this.fleet.seed,
      holdS: 15 * 60,
      confidence: this.c.confidence,
      pricesPerMwh: this.c.pricesUsdPerMwh,
    });
    this.confidentKw = this.steps.reduce((a, s) => a + s.quantityKw, 0);
    ctx.publish('vpp.supply', { vpp: this.id, steps: this.steps, confidentKw: this.confidentKw });
    const d0 = this.c.dayStartMs;
    ctx.every(minutesMs(RT_MINUTES), d0, d0 + HOURS_PER_DAY * MS_PER_HOUR, (t) => this.setGoal(ctx, t));
  }

  onEvent(e: EngineEvent, ctx: AgentContext): void {
    switch (e.type) {
      case 'session.opened':
        this.onSession(e.payload as SessionInfo, ctx);
        return;
      case 'market.fill':
        this.onFill(e.payload as Fill & { market: string; session: string }, ctx);
        return;
      case 'market.cleared':
        this.followPrice(e.payload as { session: string; result: LemPublicResult });
        return;
      case 'iso.regulation': {
        const r = e.payload as RegulationSignal;
        this.regulation.set(r.startMs, r);
        return;
      }
      case 'world.fleet':
        this.last = e.payload as FleetTelemetry;
        this.telemetry++;
        this.meanFullKw += (this.last.fullKw - this.meanFullKw) / this.telemetry;
        return;
      case 'dso.flag': {
        const f = e.payload as RedFlag;
        const kw = Math.min(Math.max(0, f.reliefKw), this.headroomKw());
        if (kw > 0)
          this.extra.push({ untilMs: f.startMs + minutesMs(3 * RT_MINUTES), kw, why: `${f.kind} flag` });
        return;
      }
    }
  }

  /**
   * How much more or less the fleet can shed now than on average: its demand now over its
   * mean demand so far (the supply function's yield is for an average state).
   */
  private scale(): number {
    return this.last && this.meanFullKw > 0 ? Math.min(2, this.last.fullKw / this.meanFullKw) : 1;
  }

  /**
   * The reduction the fleet can deliver now: the supply function's confident yield scaled to
   * the fleet's state, or, when the last goal was missed, what the fleet actually shed then.
   */
  private deliverableKw(): number {
    const estimate = this.confidentKw * this.scale();
    const l = this.last;
    if (l && l.goalKw !== null && l.enabledKw > l.goalKw + 1e-6)
      return Math.min(estimate, l.fullKw - l.enabledKw);
    return estimate;
  }

  private headroomKw(): number {
    return Math.max(0, this.deliverableKw() - this.committedKw(this.last?.startMs ?? this.c.dayStartMs));
  }

  private committedKw(t: number): number {
    const h = Math.floor((t - this.c.dayStartMs) / MS_PER_HOUR);
    const q = t - (t % minutesMs(15));
    return (this.dayAheadKw[h] ?? 0) + (this.ancillaryKw.get(q) ?? 0) + (this.layer3Kw.get(t) ?? 0);
  }

  private onSession(s: SessionInfo, ctx: AgentContext): void {
    if (this.confidentKw <= 0) return;
    if (s.market === MARKETS.lemDayAhead) ctx.at(s.gateMs - minutesMs(5), () => this.offerDayAhead(ctx, s));
    else if (s.market === MARKETS.ancillary) this.offerRegulation(ctx, s);
    else if (s.market === MARKETS.layer3) this.coverDeviation(ctx, s);
    else if (s.market === MARKETS.flex) this.offerFlexibility(ctx, s);
  }

  /** The supply function at the members' buses, in proportion to their flexible demand. */
  private offerDayAhead(ctx: AgentContext, s: SessionInfo): void {
    const byBus = new Map<string, { bus: string; phases: number[]; share: number }>();
    this.fleet.members.forEach((m, i) => {
      const key = `${m.bus}|${m.phases.join('.')}`;
      const p = byBus.get(key) ?? { bus: m.bus, phases: m.phases, share: 0 };
      p.share += this.fleet.memberShare[i];
      byBus.set(key, p);
    });
    const forward = this.steps.map((st) => ({ ...st, quantityKw: st.quantityKw * this.c.forwardShare }));
    for (const [key, p] of byBus) {
      const steps = forward.map((st) => ({ ...st, quantityKw: st.quantityKw * p.share }));
      if (!steps.some((st) => st.quantityKw > 1e-3)) continue;
      const offer = vppRoom.toLemOffer(steps, { id: key, participant: this.id, bus: p.bus });
      ctx.submit({
        market: s.market,
        session: s.id,
        clientOrderId: `da-${key}`,
        order: {
          ...offer,
          phases: p.phases,
          maxDailyEnergyKwh: this.confidentKw * this.c.forwardShare * p.share * this.c.maxHours,
        },
      });
    }
  }

  /** Layer II: symmetric regulation capacity from what the day-ahead sale left. */
  private offerRegulation(ctx: AgentContext, s: SessionInfo): void {
    const h = Math.floor((s.deliveryStartMs - this.c.dayStartMs) / MS_PER_HOUR);
    const freeKw = Math.max(0, this.confidentKw * this.scale() - (this.dayAheadKw[h] ?? 0));
    const offer = vppRoom.toRegulationOffer(
      this.steps.map((st) => ({ ...st, quantityKw: (st.quantityKw * freeKw) / this.confidentKw })),
      `reg-${s.deliveryStartMs}`,
      this.id,
      this.c.pricesUsdPerMwh.green,
      0.9,
    );
    const kwh = offer.capacityKw * hoursOf(offer.intervalMinutes);
    if (kwh < 1e-3) return;
    ctx.submit({
      market: s.market,
      session: s.id,
      clientOrderId: offer.id,
      order: {
        side: 'sell',
        type: 'limit',
        price: offer.capacityPricePerMwh / 1000,
        quantity: kwh,
        timeInForce: 'GTC',
      },
    });
  }

  /**
   * Layer III: the interval's expected deliverable reduction against what is committed; a
   * shortfall is bought from other VPPs below the penalty it would cost, a surplus sold.
   */
  private coverDeviation(ctx: AgentContext, s: SessionInfo): void {
    const t = s.deliveryStartMs;
    const gapKw = this.deliverableKw() - this.committedKw(t);
    const hours = hoursOf(RT_MINUTES);
    if (Math.abs(gapKw) * hours < 1e-3) return;
    const green = this.c.pricesUsdPerMwh.green / 1000;
    ctx.submit({
      market: s.market,
      session: s.id,
      clientOrderId: `l3-${t}`,
      order:
        gapKw > 0
          ? { side: 'sell', type: 'limit', price: green, quantity: gapKw * hours, timeInForce: 'GTC' }
          : {
              side: 'buy',
              type: 'limit',
              price: green * this.c.penaltyFactor,
              quantity: -gapKw * hours,
              timeInForce: 'GTC',
            },
    });
  }

  private offerFlexibility(ctx: AgentContext, s: SessionInfo): void {
    const kw = this.headroomKw();
    const hours = (s.deliveryEndMs - s.deliveryStartMs) / MS_PER_HOUR;
    if (kw * hours < 1e-3) return;
    ctx.submit({
      market: s.market,
      session: s.id,
      clientOrderId: `flex-${s.id}`,
      order: {
        side: 'sell',
        type: 'limit',
        price: this.c.pricesUsdPerMwh.yellow / 1000,
        quantity: kw * hours,
        timeInForce: 'GTC',
      },
    });
  }

  private onFill(f: Fill & { market: string; session: string }, ctx: AgentContext): void {
    if (f.participant !== this.id || f.kwh === 0) return;
    const startMs = sessionStartOf(f.session);
    if (f.market === MARKETS.lemDayAhead) {
      const kw = (f.detail?.kw as number[] | undefined) ?? [];
      const first = this.dayAheadKw.every((x) => x === 0);
      kw.forEach((x, h) => {
        this.dayAheadKw[h] += x;
      });
      // once every day-ahead fill is in: control of the members' devices over the hours sold
      if (first) ctx.at(ctx.now() + minutesMs(1), () => this.requestLeases(ctx));
    } else if (f.market === MARKETS.ancillary) {
      this.ancillaryKw.set(startMs, (this.ancillaryKw.get(startMs) ?? 0) + f.kwh / hoursOf(15));
    } else if (f.market === MARKETS.layer3) {
      this.layer3Kw.set(startMs, (this.layer3Kw.get(startMs) ?? 0) + f.kwh / hoursOf(RT_MINUTES));
    } else if (f.market === MARKETS.flex) {
      const s = ctx.sessions(MARKETS.flex).find((x) => x.id === f.session);
      const untilMs = s?.deliveryEndMs ?? startMs + minutesMs(15);
      const kw = f.kwh / ((untilMs - startMs) / MS_PER_HOUR);
      this.extra.push({ untilMs, kw, why: 'flexibility sold' });
    }
  }

  private requestLeases(ctx: AgentContext): void {
    const hours = this.dayAheadKw.flatMap((x, h) => (x > 1e-6 ? [h] : []));
    if (hours.length === 0) return;
    const fromMs = this.c.dayStartMs + Math.min(...hours) * MS_PER_HOUR;
    const toMs = this.c.dayStartMs + (Math.max(...hours) + 1) * MS_PER_HOUR;
    ctx.publish(
      'vpp.lease',
      { holder: this.id, fromMs, toMs },
      this.fleet.members.map((m) => m.id),
    );
  }

  /** A real-time price above the yellow tier's asks for the yellow tier's reduction in the next intervals. */
  private followPrice(p: { session: string; result: LemPublicResult }): void {
    let sum = 0;
    let n = 0;
    for (const m of this.fleet.members) {
      const x = dlmpAt(p.result, m.bus, m.phases, 0);
      if (x !== undefined) {
        sum += x;
        n++;
      }
    }
    if (n === 0 || sum / n <= this.c.pricesUsdPerMwh.yellow) return;
    const startMs = sessionStartOf(p.session);
    const kw = Math.min(this.headroomKw(), this.confidentKw * this.scale());
    if (kw > 0) this.extra.push({ untilMs: startMs + minutesMs(2 * RT_MINUTES), kw, why: 'real-time price' });
  }

  /**
   * The part of the ISO's signal this interval follows, where Layer II capacity is committed: the
   * goal holds that much shed in reserve (committedKw), so the fleet can move both ways around it.
   */
  private regulationOf(t: number): FleetGoal['regulation'] {
    const quarterMs = minutesMs(PRODUCTS.ahead15.intervalMinutes);
    const q = t - ((((t - this.c.dayStartMs) % quarterMs) + quarterMs) % quarterMs);
    const capacityKw = this.ancillaryKw.get(q) ?? 0;
    const r = this.regulation.get(q);
    if (!r || capacityKw <= 1e-6) return undefined;
    const from = Math.round((t - q) / 1000 / r.stepS);
    const n = Math.round((RT_MINUTES * SECONDS_PER_MINUTE) / r.stepS);
    return { capacityKw, stepS: r.stepS, signal: r.signal.slice(from, from + n) };
  }

  private setGoal(ctx: AgentContext, t: number): void {
    const reasons: string[] = [];
    let shedKw = this.committedKw(t);
    if (shedKw > 0) reasons.push('commitments');
    for (const x of this.extra)
      if (x.untilMs > t) {
        shedKw += x.kw;
        reasons.push(x.why);
      }
    const fullKw =
      this.last?.fullKw ?? this.fleet.flexKwByHour[Math.floor((t - this.c.dayStartMs) / MS_PER_HOUR)] ?? 0;
    const goal: FleetGoal = {
      vpp: this.id,
      startMs: t,
      goalKw: shedKw > 1e-6 ? Math.max(0, fullKw - shedKw) : null,
      reasons,
    };
    const regulation = this.regulationOf(t);
    if (regulation && goal.goalKw !== null) goal.regulation = regulation;
    ctx.publish('vpp.goal', goal, [this.id]);
  }
}
