import { type Engine, type EngineEvent, type MarketService, sessionStartOf } from '@gridtier/core/engine';
import { minutesMs } from '@gridtier/core/time';

/** A metered interval as an oracle reports it: the participant's net export (+) or import (−). */
export interface ReportedReading {
  /** the meter is named by the participant it meters */
  meter: string;
  intervalStartMs: number;
  intervalMinutes: number;
  kwh: number;
}

/** `settlement.interval`: one participant's metered interval settled against what it traded for it. */
export interface IntervalSettled {
  participant: string;
  intervalStartMs: number;
  intervalMinutes: number;
  /** what its fills of energy markets delivered into the interval: sold (+), bought (−), kWh */
  contractedKwh: number;
  meteredKwh: number;
  /** metered − contracted: a surplus (+) the DSO buys, a shortfall (−) it sells */
  imbalanceKwh: number;
  usdPerKwh: number;
  /** received (+) or paid (−) for the imbalance, $ */
  usd: number;
}

/** The DSO's prices for imbalances at an instant, $/kWh. */
export type ImbalancePrices = (t: number) => { shortfallUsdPerKwh: number; surplusUsdPerKwh: number };

/** Market kinds whose sessions deliver energy (not capacity: ancillary reserves, flexibility). */
const CAPACITY_KINDS = new Set(['ancillary', 'flexibility', 'flex']);

interface Delivery {
  startMs: number;
  endMs: number;
  kwh: number;
}

/**
 * Settlement of metered intervals, as the day's settlement operator settles Layer I slots: each
 * reading an oracle reports settles the participant's interval once — what it metered against
 * what its fills in energy markets contracted for that interval (a fill spread evenly over its
 * session's delivery), the difference bought or sold by the DSO at its imbalance prices. Readings
 * and their settlements are events of the engine, so a replay settles the same intervals again.
 */
export class MeterSettlement {
  static readonly ACCOUNT = 'dso';
  private readonly deliveries = new Map<string, Delivery[]>();
  private readonly settled = new Set<string>();
  private readonly windows = new Map<string, { kind: string; sessionMs: number }>();

  constructor(
    markets: readonly MarketService[],
    private readonly prices: ImbalancePrices,
  ) {
    for (const m of markets)
      if (m.product.intervalsPerSession === 1 && !CAPACITY_KINDS.has(m.kind))
        this.windows.set(m.id, { kind: m.kind, sessionMs: minutesMs(m.product.intervalMinutes) });
  }

  /** Follows every fill (also those a replay publishes again). */
  attach(engine: Engine): void {
    engine.observe(['market.fill'], (e) => this.onFill(e), { all: true });
  }

  private onFill(e: EngineEvent): void {
    const f = e.payload as { market: string; session: string; participant: string; kwh: number };
    const w = this.windows.get(f.market);
    if (!w || f.kwh === 0) return;
    const startMs = sessionStartOf(f.session);
    let list = this.deliveries.get(f.participant);
    if (!list) this.deliveries.set(f.participant, (list = []));
    list.push({ startMs, endMs: startMs + w.sessionMs, kwh: f.kwh });
  }

  /**
   * Publishes the readings not reported before (`meter.reported`, by the oracle) and settles
   * each (`settlement.interval`, to its participant); returns how many were new.
   */
  report(engine: Engine, oracle: string, readings: readonly ReportedReading[]): number {
    const fresh = readings.filter((r) => !this.settled.has(key(r)));
    if (fresh.length === 0) return 0;
    engine.publish({ type: 'meter.reported', actor: oracle, payload: { readings: fresh } });
    for (const r of fresh) {
      this.settled.add(key(r));
      const s = this.settle(r);
      engine.publish({
        type: 'settlement.interval',
        actor: 'settlement',
        to: [s.participant],
        payload: s,
      });
    }
    return fresh.length;
  }

  private settle(r: ReportedReading): IntervalSettled {
    const startMs = r.intervalStartMs;
    const endMs = startMs + minutesMs(r.intervalMinutes);
    let contractedKwh = 0;
    for (const d of this.deliveries.get(r.meter) ?? []) {
      const overlap = Math.min(endMs, d.endMs) - Math.max(startMs, d.startMs);
      if (overlap > 0) contractedKwh += (d.kwh * overlap) / (d.endMs - d.startMs);
    }
    const imbalanceKwh = r.kwh - contractedKwh;
    const p = this.prices(startMs);
    const usdPerKwh = imbalanceKwh >= 0 ? p.surplusUsdPerKwh : p.shortfallUsdPerKwh;
    return {
      participant: r.meter,
      intervalStartMs: startMs,
      intervalMinutes: r.intervalMinutes,
      contractedKwh,
      meteredKwh: r.kwh,
      imbalanceKwh,
      usdPerKwh,
      usd: imbalanceKwh * usdPerKwh,
    };
  }
}

/** a meter's interval is named by where it starts, as the readings table keys it */
const key = (r: ReportedReading) => `${r.meter}\u0000${r.intervalStartMs}`;
