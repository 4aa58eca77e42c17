import type { FeederMap } from '@gridtier/core/agents';
import { intervalsPerDay, MS_PER_HOUR, PRODUCTS } from '@gridtier/core/time';
import type { FeedMessage, Level, Session } from './api.js';

/** DLMPs of one LEM clearing as the feed and /v1/dlmps give them. */
export interface Dlmps {
  seq: number;
  market: string;
  session: string;
  nodes: string[];
  intervals: { total: number[]; energy: number[]; loss: number[]; congestion: number[] }[];
}

export interface GridNow {
  seq: number;
  startMs: number;
  busVoltagesPu?: number[][];
  branchLoadingPct?: number[];
}

/** What a VPP's fleet did over an interval, as the world reports it to the VPP (and to auditors). */
export interface FleetRow {
  seq: number;
  startMs: number;
  fullKw: number;
  enabledKw: number;
  goalKw: number | null;
  devices: number;
  enabledByTierKw?: Record<string, number>;
  regulation?: { quarterStartMs: number; capacityKw: number; composite: number };
}

export interface Trade {
  seq: number;
  at: string;
  market: string;
  session: string;
  usdPerKwh: number;
  kwh: number;
}

export interface OrderRow {
  orderId: string;
  clientOrderId: string;
  market: string;
  session: string;
  order: { side?: string; price?: number; quantity?: number };
  status: string;
  filledKwh: number;
  usd: number;
}

export interface StatementRow {
  participant: string;
  balance: { kwh: number; usd: number };
  sessions: { market: string; session: string; kwh: number; usd: number; fills: number }[];
}

export interface Book {
  market: string;
  session: string;
  bids: Level[];
  asks: Level[];
  seq: number;
}

/** Everything the live dashboard shows, as the API and the feed have told it. */
export interface LiveState {
  participant: string;
  role: string;
  nowMs: number;
  sessions: Session[];
  feeder: FeederMap | null;
  grid: GridNow | null;
  dlmps: Dlmps | null;
  /** what the map showed over time (since the page opened; the DLMPs since the server started), oldest first */
  gridHistory: GridNow[];
  dlmpHistory: Dlmps[];
  /** per VPP the fleet's intervals this client may see, oldest first (a day of them) */
  fleets: Record<string, FleetRow[]>;
  book: Book | null;
  /** the latest depth the feed sent of each book it touched (market and session), shown or not */
  depths: Record<string, Book>;
  trades: Trade[];
  clearings: { seq: number; time: string; market: string; session: string; summary: string }[];
  orders: OrderRow[];
  statements: StatementRow[];
  tail: FeedMessage[];
}

export const emptyState = (): LiveState => ({
  participant: '',
  role: '',
  nowMs: 0,
  sessions: [],
  feeder: null,
  grid: null,
  dlmps: null,
  gridHistory: [],
  dlmpHistory: [],
  fleets: {},
  book: null,
  depths: {},
  trades: [],
  clearings: [],
  orders: [],
  statements: [],
  tail: [],
});

/** The one with the highest sequence number (the latest the log has told), or null. */
export function newest<T extends { seq: number }>(...xs: (T | null | undefined)[]): T | null {
  let best: T | null = null;
  for (const x of xs) if (x && (best === null || x.seq > best.seq)) best = x;
  return best;
}

/** The last `keep` of records told twice or more (by the feed and a snapshot), once each, in order. */
export function latestBySeq<T extends { seq: number }>(xs: readonly T[], keep: number): T[] {
  const bySeq = new Map<number, T>();
  for (const x of xs) bySeq.set(x.seq, x);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-keep);
}

/** The DSO's power flows the map keeps: a day of five-minute states. */
export const GRID_STATES = intervalsPerDay(PRODUCTS.rt5.intervalMinutes);
/** DLMP figures the map keeps (nodes × intervals × 4 parts over the clearings kept), newest first. */
const DLMP_NUMBERS = 4_000_000;

/** The newest clearings' DLMPs, once each, as many as the budget holds (a large feeder keeps fewer). */
export function keepDlmps(xs: readonly Dlmps[]): Dlmps[] {
  const all = latestBySeq(xs, Number.POSITIVE_INFINITY);
  let numbers = 0;
  let from = all.length;
  while (from > 0) {
    const d = all[from - 1];
    numbers += 4 * d.nodes.length * d.intervals.length;
    if (numbers > DLMP_NUMBERS && from < all.length) break;
    from--;
  }
  return all.slice(from);
}

/** One position of the map's time slider: the power flow and the DLMPs as they stood after `seq`. */
export interface MapFrame {
  seq: number;
  /** the time the map shows, ms: the power flow's interval, or the clearing's delivery */
  timeMs: number;
  grid: GridNow | null;
  dlmps: Dlmps | null;
}

/** Every state of the map the page knows, in the log's order: a frame per power flow and per clearing. */
export function mapFrames(grids: readonly GridNow[], dlmps: readonly Dlmps[]): MapFrame[] {
  const events = [
    ...grids.map((g) => ({ seq: g.seq, grid: g, dlmps: null as Dlmps | null })),
    ...dlmps.map((d) => ({ seq: d.seq, grid: null as GridNow | null, dlmps: d })),
  ].sort((a, b) => a.seq - b.seq);
  const out: MapFrame[] = [];
  let grid: GridNow | null = null;
  let dlmp: Dlmps | null = null;
  for (const e of events) {
    grid = e.grid ?? grid;
    dlmp = e.dlmps ?? dlmp;
    const timeMs = e.grid ? e.grid.startMs : deliveryStartMs(e.dlmps!);
    out.push({ seq: e.seq, timeMs, grid, dlmps: dlmp });
  }
  return out;
}

/** Where a clearing's delivery starts, from its session id (`market@2026-07-01T10:05Z`). */
function deliveryStartMs(d: Dlmps): number {
  const at = d.session.split('@')[1];
  const ms = at ? Date.parse(at.length <= 11 ? `${at}T00:00Z` : at) : Number.NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/** Books whose latest depth is kept. */
const DEPTHS_KEPT = 50;
export const bookKey = (b: { market: string; session: string }) => `${b.market}\u0000${b.session}`;

const TAIL = 30;
const KEEP = 50;

/** A clearing's result in one line: price and volume for call markets, status for the LEM. */
export function clearingSummary(result: Record<string, unknown>): string {
  if (typeof result.status === 'string') return `${result.status}`;
  const price = result.clearingPriceUsdPerKwh ?? result.lastPriceUsdPerKwh;
  const kwh = typeof result.volumeKwh === 'number' ? result.volumeKwh.toFixed(2) : '–';
  const n = Number(result.trades ?? 0);
  return `${n} trade${n === 1 ? '' : 's'}, ${kwh} kWh${typeof price === 'number' ? ` at ${price.toFixed(4)} $/kWh` : ''}`;
}

/** Folds one feed message into the state (a new object, so views redraw). */
export function applyFeed(s: LiveState, m: FeedMessage): LiveState {
  const next: LiveState = { ...s, tail: [...s.tail.slice(-(TAIL - 1)), m] };
  if (m.time) next.nowMs = Date.parse(m.time);
  const p = m.payload ?? {};
  switch (m.type) {
    case 'feed.hello':
      next.participant = m.participant ?? '';
      next.role = m.role ?? '';
      break;
    case 'book.depth': {
      const depth = {
        market: m.market!,
        session: m.session!,
        bids: m.bids ?? [],
        asks: m.asks ?? [],
        seq: m.seq,
      };
      // kept even when another book is shown: a snapshot asked for meanwhile may be older than it
      const { [bookKey(depth)]: _, ...rest } = s.depths;
      const keys = Object.keys(rest);
      next.depths = {
        ...Object.fromEntries(
          keys.slice(Math.max(0, keys.length - DEPTHS_KEPT + 1)).map((k) => [k, rest[k]]),
        ),
        [bookKey(depth)]: depth,
      };
      if (s.book && m.market === s.book.market && m.session === s.book.session) next.book = depth;
      break;
    }
    case 'market.trade':
      next.trades = [
        ...s.trades.slice(-(KEEP - 1)),
        { seq: m.seq, at: m.time!, ...(p as unknown as Omit<Trade, 'seq' | 'at'>) },
      ];
      break;
    case 'market.cleared': {
      const result = (p.result ?? {}) as Record<string, unknown>;
      next.clearings = [
        ...s.clearings.slice(-(KEEP - 1)),
        {
          seq: m.seq,
          time: m.time!,
          market: String(p.market),
          session: String(p.session),
          summary: clearingSummary(result),
        },
      ];
      const dlmp = result.dlmp as Omit<Dlmps, 'seq' | 'market' | 'session'> | undefined;
      if (dlmp) {
        next.dlmps = { seq: m.seq, market: String(p.market), session: String(p.session), ...dlmp };
        next.dlmpHistory = keepDlmps([...s.dlmpHistory, next.dlmps]);
      }
      break;
    }
    case 'world.fleet': {
      const row = { seq: m.seq, ...(p as unknown as Omit<FleetRow, 'seq'> & { vpp: string }) };
      const vpp = String(p.vpp);
      next.fleets = { ...s.fleets, [vpp]: [...(s.fleets[vpp] ?? []).slice(-(GRID_STATES - 1)), row] };
      break;
    }
    case 'dso.grid':
      next.grid = { seq: m.seq, ...(p as unknown as Omit<GridNow, 'seq'>) };
      next.gridHistory = [...s.gridHistory.slice(-(GRID_STATES - 1)), next.grid];
      break;
  }
  return next;
}

/** Which interval of a clearing holds the present: hourly day-ahead intervals from the session's delivery start. */
export function intervalNow(d: Dlmps, nowMs: number): number {
  if (d.intervals.length <= 1) return 0;
  const start = Date.parse(`${d.session.split('@')[1]?.replace(/Z$/, '')}:00Z`);
  if (!Number.isFinite(start)) return 0;
  const k = Math.floor((nowMs - start) / MS_PER_HOUR);
  return Math.min(d.intervals.length - 1, Math.max(0, k));
}
