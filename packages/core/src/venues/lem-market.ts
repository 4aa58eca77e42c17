import type {
  ClearingOutcome,
  Fill,
  MarketService,
  MoneyLine,
  OrderTicket,
  Session,
  Validation,
} from '../engine/index.js';
import { buildNetwork, type DssCircuitState } from '../grid/dss/index.js';
import { type LemClearer, type LemResult, type Order, orderSchema } from '../market/index.js';
import { hoursOf, minutesMs, type Product, type SessionWindow, sessionsOfDay } from '../time/index.js';
import type { SubstationPrices } from './substation-prices.js';

export interface LemMarketConfig {
  id: string;
  market: 'dam' | 'rtm';
  product: Product;
  /** the feeder: its buses are where orders may sit */
  feeder: DssCircuitState;
  /** who clears the market on that feeder: in this thread or a worker's */
  clearer: LemClearer;
  /** the ISO's prices at the substation for a session's intervals, $/MWh; undefined until published */
  isoPricesUsdPerMwh: (window: SessionWindow) => number[] | undefined;
  voltageLimitsPu: [number, number];
  /** branches loaded beyond this share of their rating join the critical set */
  criticalLoading?: number;
  /** the feeder's own loads' scale: 0 where the participants' orders carry all demand */
  loadMultiplier?: number;
  capUsdPerMwh?: number;
  floorUsdPerMwh?: number;
  /** real time: the day-ahead market whose schedules are held (only deviations settle) */
  dayAhead?: LemMarket;
  /** real time: who answers for a day-ahead participant's schedule (its retailer, or itself) */
  balanceResponsible?: (participant: string) => string;
}

/** Where the price at the feeder's source bus came from, per interval of a clearing. */
export type SourcePriceFrom = 'substation' | 'iso';

/** A cleared day-ahead order's schedule, kept for the real-time market's deviations. */
interface HeldSchedule {
  deliveryStartMs: number;
  intervalMs: number;
  kw: number[];
}

/**
 * The DSO's local energy market as a service of the engine: nodal offers and bids (and
 * batteries, generators, blocks, bilateral schedules) validated by the market's schema, cleared
 * at the gate against the ISO's prices at the substation with grid limits from the AC power
 * flow; every order's fill is its schedule and its money at the DLMPs of its bus and phases,
 * and the DSO keeps what remains (loss and congestion rent). In real time, each order's
 * schedule held from the day-ahead (by its balance-responsible participant, bus and phases) is
 * settled as a deviation only. A feeder whose substation exchanges energy with its other feeders
 * (`followSubstation`) prices its source bus at the substation's clearing price instead of the
 * ISO's wherever the exchange has cleared the interval, and buys its import from the `substation`
 * account at it.
 */
export class LemMarket implements MarketService<Order> {
  readonly id: string;
  readonly kind: string;
  readonly product: Product;
  private readonly buses: Set<string>;
  /** day-ahead schedules by balance-responsible participant and key (see heldKey) */
  private readonly held = new Map<string, HeldSchedule[]>();
  /** the last clearing's full result, for the operator's own reports */
  last: LemResult | undefined;
  /** the substation's clearing prices, when the feeder exchanges with its substation's other feeders */
  private substation: SubstationPrices | undefined;

  constructor(private readonly config: LemMarketConfig) {
    this.id = config.id;
    this.kind = config.market === 'dam' ? 'lem-day-ahead' : 'lem-real-time';
    this.product = config.product;
    this.buses = new Set(buildNetwork(config.feeder).busIndex.keys());
  }

  sessionsOfDay(dayStartMs: number) {
    return sessionsOfDay(this.product, dayStartMs);
  }

  /**
   * From now on an interval the substation's exchange has cleared is cleared with the
   * substation's price at the feeder's source bus (so the energy part of every DLMP is that
   * price; the loss and congestion parts stay the feeder's own), and the feeder's import through
   * it is bought from the `substation` account. An interval the exchange has not cleared keeps
   * the ISO's price. Set before the engine runs, so that a replay prices as the live run did.
   */
  followSubstation(prices: SubstationPrices): void {
    this.substation = prices;
  }

  /** The price at the source bus per interval and where it came from, or why there is none. */
  private sourcePrices(
    session: SessionWindow & { id: string },
  ): { usdPerMwh: number[]; from: SourcePriceFrom[] } | { missing: string } {
    const T = this.product.intervalsPerSession;
    const intervalMs = minutesMs(this.product.intervalMinutes);
    const iso = this.config.isoPricesUsdPerMwh(session);
    const usdPerMwh: number[] = [];
    const from: SourcePriceFrom[] = [];
    for (let t = 0; t < T; t++) {
      const startMs = session.deliveryStartMs + t * intervalMs;
      const sub = this.substation?.at(startMs, startMs + intervalMs);
      if (sub !== undefined) {
        usdPerMwh.push(sub.usdPerKwh * 1000);
        from.push('substation');
      } else if (iso && iso.length === T) {
        usdPerMwh.push(iso[t]);
        from.push('iso');
      } else
        return {
          missing: this.substation
            ? `neither the substation's exchange nor the ISO has a price for interval ${t} of ${session.id}`
            : `the ISO has not published ${T} prices for ${session.id}`,
        };
    }
    return { usdPerMwh, from };
  }

  validate(raw: unknown, participant: string): Validation<Order> {
    const doc =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        ? { id: '-', participant, ...(raw as Record<string, unknown>) }
        : raw;
    const r = orderSchema.safeParse(doc);
    if (!r.success) {
      const i = r.error.issues[0];
      return { ok: false, field: i.path.map(String).join('.') || '(root)', reason: i.message };
    }
    const o = r.data;
    if (o.participant !== participant)
      return { ok: false, field: 'participant', reason: `must be the submitting participant ${participant}` };
    for (const [field, bus] of o.type === 'bilateral'
      ? [
          ['fromBus', o.fromBus],
          ['toBus', o.toBus],
        ]
      : [['bus', o.bus]])
      if (!this.buses.has(bus.toLowerCase()))
        return { ok: false, field, reason: `the feeder has no bus "${bus}"` };
    const n = this.product.intervalsPerSession;
    const bad = (o.intervals ?? []).find((t) => t >= n);
    if (bad !== undefined)
      return { ok: false, field: 'intervals', reason: `${bad} is beyond the session's ${n} intervals` };
    const { capUsdPerMwh: cap, floorUsdPerMwh: floor } = this.config;
    const steps = 'steps' in o ? o.steps : [];
    const prices = [...steps.map((s) => s.price), ...('price' in o ? [o.price] : [])];
    for (const [i, p] of prices.entries()) {
      if (cap !== undefined && p > cap)
        return {
          ok: false,
          field: i < steps.length ? `steps.${i}.price` : 'price',
          reason: `${p} $/MWh is above the cap ${cap}`,
        };
      if (floor !== undefined && p < floor)
        return {
          ok: false,
          field: i < steps.length ? `steps.${i}.price` : 'price',
          reason: `${p} $/MWh is below the floor ${floor}`,
        };
    }
    return { ok: true, order: o };
  }

  async clear(session: Session, live: readonly OrderTicket<Order>[]): Promise<ClearingOutcome> {
    const c = this.config;
    const T = this.product.intervalsPerSession;
    const minutes = this.product.intervalMinutes;
    const hours = hoursOf(minutes);
    const source = this.sourcePrices(session);
    if ('missing' in source)
      return {
        result: { status: 'no-iso-prices', reason: source.missing },
        fills: live.map((t) => ({ orderId: t.orderId, participant: t.participant, kwh: 0, usd: 0 })),
        lines: [],
      };
    const orders = live.map((t) => ({ ...t.order, id: t.orderId }) as Order);
    const schedulesKw: Record<string, number> = {};
    if (c.dayAhead)
      for (const o of orders)
        schedulesKw[o.id] = c.dayAhead.heldKw(session.deliveryStartMs, this.respOf(o.participant), keyOf(o));
    const r = await c.clearer.clear({
      settings: {
        market: c.market,
        intervals: T,
        intervalMinutes: minutes,
        isoPrices: source.usdPerMwh,
        loadMultipliers: new Array(T).fill(c.loadMultiplier ?? 0),
        voltageLimitsPu: c.voltageLimitsPu,
        criticalLoading: c.criticalLoading ?? 0.9,
        ...(c.dayAhead ? { dayAhead: { schedulesKw, commitments: {} } } : {}),
      },
      orders,
      rejected: [],
    });
    this.last = r;
    const price = priceIndex(r);
    const ticketOf = new Map(live.map((t) => [t.orderId, t]));
    const orderOf = new Map(orders.map((o) => [o.id, o]));
    const fills: Fill[] = r.schedules.map((s) => {
      const o = orderOf.get(s.id)!;
      const ticket = ticketOf.get(s.id)!;
      let kwh = 0;
      let usd = 0;
      s.kw.forEach((kw, t) => {
        kwh += kw * hours;
        usd += ((kw - (schedulesKw[s.id] ?? 0)) * hours * price(t, o)) / 1000;
      });
      return {
        orderId: s.id,
        participant: ticket.participant,
        kwh,
        usd,
        ...(kwh !== 0 ? { usdPerKwh: Math.abs(usd / kwh) } : {}),
        detail: { kw: s.kw },
      };
    });
    for (const rej of r.rejected) {
      const t = ticketOf.get(rej.id);
      if (t)
        fills.push({
          orderId: t.orderId,
          participant: t.participant,
          kwh: 0,
          usd: 0,
          detail: { rejected: rej.reasons },
        });
    }
    if (c.market === 'dam') this.hold(session, live, r, hours);
    const iso$ = r.settlement.find((l) => l.participant === '(iso)');
    const loads = r.settlement.find((l) => l.participant === '(feeder loads)');
    const lines: MoneyLine[] = iso$ ? sourceLines(r, source.from, hours, iso$) : [];
    if (loads && loads.totalUsd !== 0)
      lines.push({
        account: 'feeder-loads',
        what: "the feeder's own loads",
        kwh: loads.energyKwh,
        usd: loads.totalUsd,
      });
    // the DSO keeps what balances the books: loss and congestion rent
    const rest = fills.reduce((a, f) => a + f.usd, 0) + lines.reduce((a, l) => a + l.usd, 0);
    lines.push({ account: 'dso', what: 'loss and congestion rent', kwh: 0, usd: -rest });
    // where the source bus's price came from, for a LEM that follows its substation (a LEM that
    // does not publishes the same result as before there was a substation, so its logs replay)
    const result = this.substation ? { ...publicResult(r), source } : publicResult(r);
    return { result, fills, lines };
  }

  /** The day-ahead schedule a participant answers for at a bus and phases, kW, in the interval holding `t`. */
  heldKw(t: number, responsible: string, key: string): number {
    let kw = 0;
    for (const h of this.held.get(heldKey(responsible, key)) ?? []) {
      const i = Math.floor((t - h.deliveryStartMs) / h.intervalMs);
      if (i >= 0 && i < h.kw.length) kw += h.kw[i];
    }
    return kw;
  }

  private respOf(participant: string): string {
    return this.config.balanceResponsible?.(participant) ?? participant;
  }

  private hold(session: Session, live: readonly OrderTicket<Order>[], r: LemResult, hours: number): void {
    const ticketOf = new Map(live.map((t) => [t.orderId, t]));
    for (const s of r.schedules) {
      const t = ticketOf.get(s.id)!;
      if (t.order.type === 'bilateral') continue;
      const k = heldKey(this.respOf(t.participant), keyOf(t.order));
      let list = this.held.get(k);
      if (!list) this.held.set(k, (list = []));
      list.push({
        deliveryStartMs: session.deliveryStartMs,
        intervalMs: hours * 3_600_000,
        kw: s.kw,
      });
    }
  }
}

/**
 * The feeder's trade at its source bus: with the ISO for intervals at the ISO's price, with the
 * substation for those at the substation's exchange price; the ISO's share is what remains of
 * the market's total, so the lines sum to it exactly.
 */
function sourceLines(
  r: LemResult,
  from: readonly SourcePriceFrom[],
  hours: number,
  total: { energyKwh: number; totalUsd: number },
): MoneyLine[] {
  const iso = (kwh: number, usd: number): MoneyLine => ({ account: 'iso', what: 'substation', kwh, usd });
  const sub = (kwh: number, usd: number): MoneyLine => ({
    account: 'substation',
    what: "the substation's exchange price at the source bus",
    kwh,
    usd,
  });
  if (from.every((f) => f === 'iso')) return [iso(total.energyKwh, total.totalUsd)];
  if (from.every((f) => f === 'substation')) return [sub(total.energyKwh, total.totalUsd)];
  // the energy part of a DLMP is the interval's price at the source bus
  const energyOf = new Map(r.dlmp.map((d) => [d.interval, d.energy]));
  let kwh = 0;
  let usd = 0;
  from.forEach((f, t) => {
    if (f !== 'substation') return;
    kwh += r.substationKw[t] * hours;
    usd += (r.substationKw[t] * hours * (energyOf.get(t) ?? 0)) / 1000;
  });
  return [sub(kwh, usd), iso(total.energyKwh - kwh, total.totalUsd - usd)];
}

const heldKey = (responsible: string, key: string) => `${responsible}\u0000${key}`;

/** Where an order sits: its bus and phases, as the real-time market matches schedules. */
export function keyOf(o: Order): string {
  if (o.type === 'bilateral') return `${o.fromBus.toLowerCase()}>${o.toBus.toLowerCase()}`;
  return `${o.bus.toLowerCase()}|${(o.phases ?? []).join('.')}`;
}

/** The mean DLMP over an order's phases in an interval, $/MWh, as the market settles it. */
function priceIndex(r: LemResult): (t: number, o: Order) => number {
  const byBus = new Map<string, Map<number, number>[]>();
  for (const d of r.dlmp) {
    const key = d.bus.toLowerCase();
    let perT = byBus.get(key);
    if (!perT) byBus.set(key, (perT = []));
    (perT[d.interval] ??= new Map()).set(d.phase, d.total);
  }
  return (t, o) => {
    if (o.type === 'bilateral') return 0;
    const phases = byBus.get(o.bus.toLowerCase())?.[t];
    if (!phases) return 0;
    const list = o.phases ?? [...phases.keys()];
    return list.reduce((a, p) => a + (phases.get(p) ?? 0), 0) / list.length;
  };
}

/** What everyone may see of a clearing: status, DLMPs per bus-phase and interval, binding limits. */
function publicResult(r: LemResult): Record<string, unknown> {
  const nodes: string[] = [];
  const index = new Map<string, number>();
  for (const d of r.dlmp) {
    const k = `${d.bus}.${d.phase}`;
    if (!index.has(k)) {
      index.set(k, nodes.length);
      nodes.push(k);
    }
  }
  const intervals = Array.from({ length: r.intervals }, () => ({
    total: new Array<number>(nodes.length).fill(0),
    energy: new Array<number>(nodes.length).fill(0),
    loss: new Array<number>(nodes.length).fill(0),
    congestion: new Array<number>(nodes.length).fill(0),
  }));
  for (const d of r.dlmp) {
    const i = index.get(`${d.bus}.${d.phase}`)!;
    const iv = intervals[d.interval];
    iv.total[i] = d.total;
    iv.energy[i] = d.energy;
    iv.loss[i] = d.loss;
    iv.congestion[i] = d.congestion;
  }
  return {
    status: r.status,
    objectiveUsd: r.objectiveUsd,
    acIterations: r.iterations.length,
    substationKw: r.acSubstationKw,
    energyBalance: r.energyBalance,
    binding: r.binding,
    relaxed: r.slackUse,
    dsoSurplusUsd: r.dsoSurplusUsd,
    rejected: r.rejected,
    dlmp: { nodes, intervals },
  };
}
