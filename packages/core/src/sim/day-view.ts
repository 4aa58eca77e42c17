import type { FeederMap, GridState, LemPublicResult } from '../agents/index.js';
import { MARKETS } from '../agents/index.js';
import type { EngineEvent } from '../engine/index.js';
import { intervalsPerDay, minutesMs, PRODUCTS } from '../time/index.js';
import type { DayStarted } from './build.js';
import type { SlotSettled } from './settlement.js';

const RT = PRODUCTS.rt5.intervalMinutes;
const STEPS = intervalsPerDay(RT);
/** how many of the last events and intraday trades the view keeps */
const TAIL = 40;
const TAPE = 200;

/** DLMPs of one interval, $/MWh, per node of `nodes`, split into their parts (2 decimals). */
export interface DlmpParts {
  total: number[];
  energy: number[];
  loss: number[];
  congestion: number[];
}

/** One market's day: what cleared, how much and at what price. */
export interface DayMarket {
  market: string;
  clearings: number;
  trades: number;
  volumeKwh: number;
  /** volume-weighted price of what traded, $/kWh; null when nothing traded */
  meanUsdPerKwh: number | null;
}

/**
 * What the day's report draws beyond the summary, folded from the event log alone (as
 * `summarize` is, so a replay draws the same): the feeder as a map with the DSO's voltages and
 * loadings every five minutes, the LEM's DLMPs per node with their parts, every market's day,
 * the intraday tape, the VPPs' offers by tier, the settled slots and the log's last events.
 */
export interface DayView {
  dayStartMs: number;
  stepMinutes: number;
  feeder: FeederMap | null;
  /** per five-minute step: per bus of the map its phases' voltages (pu), per branch its loading (%) */
  busVoltagesPu: (number[][] | null)[];
  branchLoadingPct: (number[] | null)[];
  dlmp: {
    /** "bus.phase" */
    nodes: string[];
    /** per hour of the day ahead */
    dayAhead: DlmpParts[];
    /** per five-minute step of the real-time market, total only (null: no clearing) */
    realTimeTotal: (number[] | null)[];
  };
  markets: DayMarket[];
  intraday: { t: number; usdPerKwh: number; kwh: number }[];
  vppOffers: { vpp: string; steps: { tier: string; pricePerMwh: number; quantityKw: number }[] }[];
  slots: SlotSettled[];
  tail: { seq: number; time: string; type: string; actor: string; payload: string }[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The kind of market a market id names: every Layer I microgrid market counts as one. */
function marketKind(market: string): string {
  return market.startsWith(MARKETS.layer1('')) ? 'layer1' : market;
}

export function dayView(events: Iterable<EngineEvent>): DayView {
  let start: DayStarted | undefined;
  const view: DayView = {
    dayStartMs: 0,
    stepMinutes: RT,
    feeder: null,
    busVoltagesPu: new Array(STEPS).fill(null),
    branchLoadingPct: new Array(STEPS).fill(null),
    dlmp: { nodes: [], dayAhead: [], realTimeTotal: new Array(STEPS).fill(null) },
    markets: [],
    intraday: [],
    vppOffers: [],
    slots: [],
    tail: [],
  };
  const markets = new Map<string, DayMarket & { usd: number }>();
  const market = (id: string) => {
    const k = marketKind(id);
    let m = markets.get(k);
    if (!m)
      markets.set(k, (m = { market: k, clearings: 0, trades: 0, volumeKwh: 0, meanUsdPerKwh: null, usd: 0 }));
    return m;
  };
  // the LEM's results carry prices, not trades: its fills say what it traded with whom
  const fills = new Map<string, { n: number; kwh: number; usd: number }>();
  const stepOf = (t: number) => Math.floor((t - view.dayStartMs) / minutesMs(RT));
  const tail: EngineEvent[] = [];
  for (const e of events) {
    tail.push(e);
    if (tail.length > TAIL) tail.shift();
    const p = e.payload as Record<string, unknown>;
    switch (e.type) {
      case 'day.started':
        start = e.payload as DayStarted;
        view.dayStartMs = start.dayStartMs;
        view.feeder = start.feeder ?? null;
        break;
      case 'dso.grid': {
        const g = e.payload as GridState;
        const k = stepOf(g.startMs);
        if (k < 0 || k >= STEPS) break;
        view.busVoltagesPu[k] = g.busVoltagesPu ?? null;
        view.branchLoadingPct[k] = g.branchLoadingPct ?? null;
        break;
      }
      case 'market.cleared': {
        const m = market(p.market as string);
        m.clearings++;
        const r = p.result as Record<string, unknown>;
        if (typeof r.trades === 'number' && typeof r.volumeKwh === 'number') {
          // a call market or a continuous session: its trades and volume, at its clearing price
          m.trades += r.trades;
          m.volumeKwh += r.volumeKwh;
          const price = (r.clearingPriceUsdPerKwh ?? r.lastPriceUsdPerKwh) as number | null | undefined;
          if (typeof price === 'number' && p.market !== MARKETS.intraday) m.usd += price * r.volumeKwh;
        } else if (typeof r.volumeKwh === 'number') m.volumeKwh += r.volumeKwh;
        if (p.market === MARKETS.lemDayAhead) dayAheadDlmps(view, r as unknown as LemPublicResult);
        else if (p.market === MARKETS.lemRealTime) {
          const tot = (r as unknown as LemPublicResult).dlmp?.intervals[0]?.total;
          const k = stepOf(e.t);
          if (tot && k >= 0 && k < STEPS) view.dlmp.realTimeTotal[k] = tot.map(r2);
        }
        break;
      }
      case 'market.trade':
        if (p.market === MARKETS.intraday) {
          const m = market(MARKETS.intraday);
          m.usd += (p.usdPerKwh as number) * (p.kwh as number);
          view.intraday.push({ t: e.t, usdPerKwh: p.usdPerKwh as number, kwh: r3(p.kwh as number) });
          if (view.intraday.length > TAPE) view.intraday.shift();
        }
        break;
      case 'market.fill': {
        const k = marketKind(p.market as string);
        const f = fills.get(k) ?? { n: 0, kwh: 0, usd: 0 };
        f.n++;
        f.kwh += Math.abs(p.kwh as number);
        f.usd += Math.abs(p.usd as number);
        fills.set(k, f);
        break;
      }
      case 'vpp.supply':
        view.vppOffers.push({
          vpp: p.vpp as string,
          steps: (p.steps as { tier: string; pricePerMwh: number; quantityKw: number }[]).map((s) => ({
            tier: s.tier,
            pricePerMwh: s.pricePerMwh,
            quantityKw: r3(s.quantityKw),
          })),
        });
        break;
      case 'ledger.settled':
        view.slots.push(e.payload as SlotSettled);
        break;
    }
  }
  view.markets = [...markets.values()].map(({ usd, ...m }) => {
    const f = fills.get(m.market);
    const byFills = m.trades === 0 && f !== undefined && f.n > 0;
    const kwh = byFills ? f.kwh : m.volumeKwh;
    const paid = byFills ? f.usd : usd;
    return {
      ...m,
      trades: byFills ? f.n : m.trades,
      volumeKwh: r3(kwh),
      meanUsdPerKwh: kwh > 0 && paid !== 0 ? Math.round((paid / kwh) * 1e5) / 1e5 : null,
    };
  });
  view.tail = tail.map((e) => ({
    seq: e.seq,
    time: new Date(e.t).toISOString(),
    type: e.type,
    actor: e.actor,
    payload: abbreviate(JSON.stringify(e.payload)),
  }));
  return view;
}

function dayAheadDlmps(view: DayView, r: LemPublicResult): void {
  if (!r.dlmp) return;
  view.dlmp.nodes = r.dlmp.nodes;
  view.dlmp.dayAhead = r.dlmp.intervals.map((iv) => ({
    total: iv.total.map(r2),
    energy: iv.energy.map(r2),
    loss: iv.loss.map(r2),
    congestion: iv.congestion.map(r2),
  }));
}

const abbreviate = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}…` : s);
