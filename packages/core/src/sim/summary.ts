import type { FleetTelemetry, GridState, IsoPrices, LemPublicResult, Statement } from '../agents/index.js';
import { MARKETS } from '../agents/index.js';
import { type EngineEvent, type Fill, type MoneyLine, sessionStartOf } from '../engine/index.js';
import { hoursOf, intervalsPerDay, minutesMs, PRODUCTS } from '../time/index.js';
import type { DayStarted } from './build.js';
import type { LedgerClosed, SlotSettled } from './settlement.js';

const RT = PRODUCTS.rt5.intervalMinutes;
const STEPS = intervalsPerDay(RT);
const SLOTS = intervalsPerDay(PRODUCTS.ahead30.intervalMinutes);

export interface Spread {
  count: number;
  totalUsd: number;
  medianUsd: number;
  /** share of households that save */
  shareSaving: number;
  /** the mean of the worst tenth */
  worstDecileUsd: number;
}

export interface HouseholdDay {
  id: string;
  costUsd: number;
  retailerUsd: number;
  p2pUsd: number;
  importKwh: number;
  exportKwh: number;
  netMeteringUsd: number;
  retailFeedInUsd: number;
}

/** Everything the report and `summary.json` show, made from the event log alone. */
export interface DaySummary {
  scenario: string;
  seed: number;
  date: string;
  prosumers: number;
  events: number;
  /** counters named after what happened */
  activity: Record<string, number>;
  money: {
    /** by kind of participant: households, vpps, retailer, dso, iso, operator, feeder-loads */
    byAccount: Record<string, number>;
    /** what each market's fills and lines, and the retailer's statements and charges, sum to: zero each */
    sumBySource: Record<string, number>;
    /** all of it: zero when money only moved */
    sumUsd: number;
  };
  iso: { dayAheadUsdPerMwh: number[]; realTimeUsdPerMwh: number[] };
  lem: {
    dayAhead: { status: string; nodes: string[]; totalUsdPerMwh: number[][] } | null;
    realTime: {
      statuses: Record<string, number>;
      meanUsdPerMwh: number[];
      minUsdPerMwh: number[];
      maxUsdPerMwh: number[];
    };
  };
  grid: {
    intervals: number;
    converged: number;
    minVoltagePu: number[];
    maxVoltagePu: number[];
    lossesKwh: number;
    violations: number;
    worstNode: string | null;
    voltageLimitsPu: [number, number];
  };
  vpps: {
    vpp: string;
    devices: number;
    goalKw: (number | null)[];
    enabledKw: number[];
    /** per colour tier, kW per interval (at its end) */
    enabledByTierKw: Record<string, number[]>;
    fullKw: number[];
    shedKwh: number;
    rmsTrackingErrorPct: number;
    /** Layer II regulation as followed: the quarter hours scored and their mean PJM performance scores */
    regulation: { quarters: number; accuracy: number; delay: number; precision: number; composite: number };
  }[];
  p2p: {
    layer1: { trades: number; kwh: number; bySlot: { kwh: number; usdPerKwh: number }[] };
    ancillary: { commitments: number; kwh: number };
    layer3: { trades: number; kwh: number };
    intraday: { trades: number; kwh: number };
  };
  households: {
    contracts: Record<string, number>;
    savingsVsNetMetering: Spread;
    savingsVsRetailFeedIn: Spread;
    /** each household's day: what it paid (−) or got (+) in all, from its retailer and peer to peer, and the baselines' bills */
    perHousehold: HouseholdDay[];
  };
  flex: { calls: number; contractedKwh: number; deliveredKwh: number };
  settlement: {
    intervals: number;
    trades: number;
    deliveredWh: number;
    shortfallWh: number;
    paidMicroUsd: number;
    imbalanceMicroUsd: number;
    sums: LedgerClosed['sums'] | null;
    energyTokensWh: number | null;
    lastMerkleRoot: string | null;
  };
}

const round = (x: number, digits = 6) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The spread of households' savings, $: median, share that saves, the worst tenth's mean. */
export function spread(savings: readonly number[]): Spread {
  const s = [...savings].sort((a, b) => a - b);
  const n = s.length;
  const worst = s.slice(0, Math.max(1, Math.ceil(n / 10)));
  return {
    count: n,
    totalUsd: round(s.reduce((a, x) => a + x, 0)),
    medianUsd: n === 0 ? 0 : round(n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2),
    shareSaving: n === 0 ? 0 : round(s.filter((x) => x > 0).length / n),
    worstDecileUsd: n === 0 ? 0 : round(worst.reduce((a, x) => a + x, 0) / worst.length),
  };
}

/**
 * Folds a day's events into its summary: a pure function of the log, so the day's own summary
 * and a replay of its `events.jsonl` are the same, byte for byte.
 */
export function summarize(events: Iterable<EngineEvent>): DaySummary {
  let start: DayStarted | undefined;
  let count = 0;
  const activity: Record<string, number> = {};
  const bump = (k: string, n = 1) => {
    activity[k] = (activity[k] ?? 0) + n;
  };
  const kindOf = new Map<string, string>();
  const byAccount: Record<string, number> = {};
  const sumBySource: Record<string, number> = {};
  const money = (account: string, source: string, usd: number) => {
    const kind = kindOf.get(account) ?? account;
    byAccount[kind] = (byAccount[kind] ?? 0) + usd;
    sumBySource[source] = (sumBySource[source] ?? 0) + usd;
  };
  const iso = { dayAheadUsdPerMwh: [] as number[], realTimeUsdPerMwh: [] as number[] };
  let dayAhead: DaySummary['lem']['dayAhead'] = null;
  const rt = {
    statuses: {} as Record<string, number>,
    meanUsdPerMwh: new Array<number>(STEPS).fill(0),
    minUsdPerMwh: new Array<number>(STEPS).fill(0),
    maxUsdPerMwh: new Array<number>(STEPS).fill(0),
  };
  const grid = {
    intervals: 0,
    converged: 0,
    minVoltagePu: new Array<number>(STEPS).fill(0),
    maxVoltagePu: new Array<number>(STEPS).fill(0),
    lossesKwh: 0,
    violations: 0,
    worstNode: null as string | null,
    worst: 0,
  };
  const vpps = new Map<string, DaySummary['vpps'][number] & { sq: number; n: number }>();
  const p2p: DaySummary['p2p'] = {
    layer1: { trades: 0, kwh: 0, bySlot: Array.from({ length: SLOTS }, () => ({ kwh: 0, usdPerKwh: 0 })) },
    ancillary: { commitments: 0, kwh: 0 },
    layer3: { trades: 0, kwh: 0 },
    intraday: { trades: 0, kwh: 0 },
  };
  const homes = new Map<string, Omit<HouseholdDay, 'id'>>();
  const contracts: Record<string, number> = {};
  const flex = { calls: 0, contractedKwh: 0, deliveredKwh: 0 };
  const settlement: DaySummary['settlement'] = {
    intervals: 0,
    trades: 0,
    deliveredWh: 0,
    shortfallWh: 0,
    paidMicroUsd: 0,
    imbalanceMicroUsd: 0,
    sums: null,
    energyTokensWh: null,
    lastMerkleRoot: null,
  };
  const stepOf = (t: number) => Math.floor((t - (start?.dayStartMs ?? 0)) / minutesMs(RT));

  for (const e of events) {
    count++;
    const p = e.payload as Record<string, unknown>;
    switch (e.type) {
      case 'day.started':
        start = e.payload as DayStarted;
        for (const s of start.sites) {
          kindOf.set(s.id, 'households');
          kindOf.set(s.vpp, 'vpps');
          homes.set(s.id, {
            costUsd: 0,
            retailerUsd: 0,
            p2pUsd: 0,
            importKwh: 0,
            exportKwh: 0,
            netMeteringUsd: 0,
            retailFeedInUsd: 0,
          });
        }
        break;
      case 'iso.prices': {
        const x = e.payload as IsoPrices;
        if (x.market === 'day-ahead') iso.dayAheadUsdPerMwh = x.usdPerMwh;
        else iso.realTimeUsdPerMwh.push(...x.usdPerMwh);
        break;
      }
      case 'household.plan':
        bump('hems.jobsScheduled', (p.jobs as unknown[]).length);
        break;
      case 'household.defer':
        bump('household.deferrals');
        break;
      case 'household.lease':
        bump(p.granted ? 'leases.granted' : 'leases.refused');
        break;
      case 'household.rule':
        bump(p.done ? 'rules.acted' : 'rules.refused');
        break;
      case 'order.accepted':
        bump('orders.accepted');
        break;
      case 'order.rejected':
        bump('orders.rejected');
        break;
      case 'agent.failed':
        bump('agents.failed');
        break;
      case 'market.fill': {
        const f = e.payload as Fill & { market: string };
        money(f.participant, sourceOf(f.market), f.usd);
        const h = homes.get(f.participant);
        if (h) {
          h.costUsd += f.usd;
          h.p2pUsd += f.usd;
        }
        if (f.market === MARKETS.ancillary && kindOf.get(f.participant) === 'vpps' && f.kwh > 0) {
          p2p.ancillary.commitments++;
          p2p.ancillary.kwh += f.kwh;
          bump('layer2.commitments');
        }
        if (f.market === MARKETS.layer3 && f.kwh > 0) p2p.layer3.kwh += f.kwh;
        break;
      }
      case 'market.lines':
        for (const l of p.lines as MoneyLine[]) money(l.account, sourceOf(p.market as string), l.usd);
        break;
      case 'market.trade':
        if (p.market === MARKETS.intraday) {
          p2p.intraday.trades++;
          p2p.intraday.kwh += p.kwh as number;
          bump('intraday.trades');
        }
        break;
      case 'market.cleared':
        cleared(
          p as { market: string; session: string; result: Record<string, unknown>; lines: MoneyLine[] },
          e.t,
        );
        break;
      case 'retailer.statement': {
        const s = e.payload as Statement;
        money(s.household, 'retailer', s.usd);
        money('retailer', 'retailer', -s.usd);
        const h = homes.get(s.household)!;
        h.costUsd += s.usd;
        h.retailerUsd += s.usd;
        h.importKwh += s.importKwh;
        h.exportKwh += s.exportKwh;
        h.netMeteringUsd += s.netMeteringUsd;
        h.retailFeedInUsd += s.retailFeedInUsd;
        if (s.contract !== 'none') {
          contracts[s.contract] = (contracts[s.contract] ?? 0) + 1;
          bump('contracts.settled');
        }
        break;
      }
      case 'retailer.network-charges':
        money('retailer', 'network charges', -(p.usd as number));
        money('dso', 'network charges', p.usd as number);
        break;
      case 'vpp.goal':
        if (p.goalKw !== null) bump('vpp.goals');
        break;
      case 'world.fleet': {
        const t = e.payload as FleetTelemetry;
        let v = vpps.get(t.vpp);
        if (!v) {
          v = {
            vpp: t.vpp,
            devices: t.devices,
            goalKw: new Array(STEPS).fill(null),
            enabledKw: new Array(STEPS).fill(0),
            enabledByTierKw: {},
            fullKw: new Array(STEPS).fill(0),
            regulation: { quarters: 0, accuracy: 0, delay: 0, precision: 0, composite: 0 },
            shedKwh: 0,
            rmsTrackingErrorPct: 0,
            sq: 0,
            n: 0,
          };
          vpps.set(t.vpp, v);
        }
        const k = stepOf(t.startMs);
        v.goalKw[k] = t.goalKw === null ? null : round(t.goalKw, 3);
        v.enabledKw[k] = round(t.enabledKw, 3);
        if (t.regulation) {
          // running means over the scored quarter hours
          const r = v.regulation;
          r.quarters++;
          for (const part of ['accuracy', 'delay', 'precision', 'composite'] as const)
            r[part] += (t.regulation[part] - r[part]) / r.quarters;
        }
        for (const [tier, kw] of Object.entries(t.enabledByTierKw ?? {})) {
          v.enabledByTierKw[tier] ??= new Array(STEPS).fill(0);
          v.enabledByTierKw[tier][k] = round(kw, 3);
        }
        v.fullKw[k] = round(t.fullKw, 3);
        v.shedKwh += Math.max(0, t.fullKw - t.enabledKw) * hoursOf(RT);
        if (t.goalKw !== null) {
          v.sq += t.rmsTrackingErrorPct ** 2;
          v.n++;
        }
        break;
      }
      case 'dso.grid': {
        const g = e.payload as GridState;
        const k = stepOf(g.startMs);
        grid.intervals++;
        if (g.converged) grid.converged++;
        grid.minVoltagePu[k] = round(g.minVoltagePu);
        grid.maxVoltagePu[k] = round(g.maxVoltagePu);
        grid.lossesKwh += g.lossesKw * hoursOf(RT);
        grid.violations += g.violations;
        const [lo, hi] = start?.voltageLimitsPu ?? [0, Number.POSITIVE_INFINITY];
        const depth = Math.max(lo - g.minVoltagePu, g.maxVoltagePu - hi);
        if (depth > grid.worst && g.worstNode) {
          grid.worst = depth;
          grid.worstNode = g.worstNode;
        }
        break;
      }
      case 'dso.flag':
        bump('dso.flags');
        break;
      case 'dso.flex-call':
        flex.calls++;
        bump('flex.calls');
        break;
      case 'dso.flex-settled':
        flex.contractedKwh += p.contractedKwh as number;
        flex.deliveredKwh += p.deliveredKwh as number;
        bump('flex.settled');
        break;
      case 'ledger.settled': {
        const s = e.payload as SlotSettled;
        settlement.intervals++;
        settlement.trades += s.trades;
        settlement.deliveredWh += s.deliveredWh;
        settlement.shortfallWh += s.shortfallWh;
        settlement.paidMicroUsd += s.paidMicroUsd;
        settlement.imbalanceMicroUsd += s.imbalanceMicroUsd;
        settlement.lastMerkleRoot = s.merkleRoot;
        break;
      }
      case 'ledger.closed': {
        const c = e.payload as LedgerClosed;
        settlement.sums = c.sums;
        settlement.energyTokensWh = c.energyTokensWh;
        break;
      }
    }
  }

  function cleared(
    p: { market: string; session: string; result: Record<string, unknown>; lines: MoneyLine[] },
    t: number,
  ) {
    for (const l of p.lines) money(l.account, sourceOf(p.market), l.usd);
    const r = p.result;
    if (p.market === MARKETS.lemDayAhead) {
      const x = r as unknown as LemPublicResult;
      dayAhead = {
        status: x.status,
        nodes: x.dlmp?.nodes ?? [],
        totalUsdPerMwh: (x.dlmp?.intervals ?? []).map((iv) => iv.total.map((v) => round(v, 4))),
      };
      bump('lem.dayAhead.clearings');
    } else if (p.market === MARKETS.lemRealTime) {
      const x = r as unknown as LemPublicResult;
      rt.statuses[x.status] = (rt.statuses[x.status] ?? 0) + 1;
      const k = stepOf(t);
      const tot = x.dlmp?.intervals[0]?.total ?? [];
      if (k >= 0 && k < STEPS && tot.length > 0) {
        rt.meanUsdPerMwh[k] = round(tot.reduce((a, v) => a + v, 0) / tot.length, 4);
        rt.minUsdPerMwh[k] = round(Math.min(...tot), 4);
        rt.maxUsdPerMwh[k] = round(Math.max(...tot), 4);
      }
      bump('lem.realTime.clearings');
    } else if (p.market.startsWith(MARKETS.layer1(''))) {
      const trades = (r.trades as number) ?? 0;
      const kwh = (r.volumeKwh as number) ?? 0;
      p2p.layer1.trades += trades;
      p2p.layer1.kwh += kwh;
      bump('layer1.trades', trades);
      const slot = Math.floor(
        (sessionStartOf(p.session) - (start?.dayStartMs ?? 0)) / minutesMs(PRODUCTS.ahead30.intervalMinutes),
      );
      const b = p2p.layer1.bySlot[slot];
      if (b && kwh > 0) {
        b.usdPerKwh =
          (b.usdPerKwh * b.kwh + ((r.clearingPriceUsdPerKwh as number) ?? 0) * kwh) / (b.kwh + kwh);
        b.kwh += kwh;
      }
    } else if (p.market === MARKETS.layer3) {
      p2p.layer3.trades += (r.trades as number) ?? 0;
      bump('layer3.trades', (r.trades as number) ?? 0);
    }
  }

  const per: HouseholdDay[] = [...homes].map(([id, h]) => ({
    id,
    costUsd: round(h.costUsd),
    retailerUsd: round(h.retailerUsd),
    p2pUsd: round(h.p2pUsd),
    importKwh: round(h.importKwh),
    exportKwh: round(h.exportKwh),
    netMeteringUsd: round(h.netMeteringUsd),
    retailFeedInUsd: round(h.retailFeedInUsd),
  }));
  const sumUsd = Object.values(byAccount).reduce((a, x) => a + x, 0);
  return {
    scenario: start?.scenario ?? '',
    seed: start?.seed ?? 0,
    date: start?.date ?? '',
    prosumers: start?.sites.length ?? 0,
    events: count,
    activity: Object.fromEntries(Object.entries(activity).sort(([a], [b]) => a.localeCompare(b))),
    money: { byAccount: roundAll(byAccount), sumBySource: roundAll(sumBySource), sumUsd: round(sumUsd, 9) },
    iso,
    lem: { dayAhead, realTime: rt },
    grid: {
      intervals: grid.intervals,
      converged: grid.converged,
      minVoltagePu: grid.minVoltagePu,
      maxVoltagePu: grid.maxVoltagePu,
      lossesKwh: round(grid.lossesKwh, 3),
      violations: grid.violations,
      worstNode: grid.worstNode,
      voltageLimitsPu: start?.voltageLimitsPu ?? [0, 0],
    },
    vpps: [...vpps.values()].map(({ sq, n, ...v }) => ({
      ...v,
      shedKwh: round(v.shedKwh, 3),
      rmsTrackingErrorPct: n > 0 ? round(Math.sqrt(sq / n), 3) : 0,
      regulation: {
        quarters: v.regulation.quarters,
        accuracy: round(v.regulation.accuracy, 4),
        delay: round(v.regulation.delay, 4),
        precision: round(v.regulation.precision, 4),
        composite: round(v.regulation.composite, 4),
      },
    })),
    p2p: {
      ...p2p,
      layer1: {
        ...p2p.layer1,
        kwh: round(p2p.layer1.kwh),
        bySlot: p2p.layer1.bySlot.map((b) => ({ kwh: round(b.kwh), usdPerKwh: round(b.usdPerKwh) })),
      },
      ancillary: { ...p2p.ancillary, kwh: round(p2p.ancillary.kwh) },
      layer3: { ...p2p.layer3, kwh: round(p2p.layer3.kwh) },
      intraday: { ...p2p.intraday, kwh: round(p2p.intraday.kwh) },
    },
    households: {
      contracts,
      savingsVsNetMetering: spread(per.map((h) => h.costUsd - h.netMeteringUsd)),
      savingsVsRetailFeedIn: spread(per.map((h) => h.costUsd - h.retailFeedInUsd)),
      perHousehold: per,
    },
    flex: {
      calls: flex.calls,
      contractedKwh: round(flex.contractedKwh),
      deliveredKwh: round(flex.deliveredKwh),
    },
    settlement,
  };
}

function sourceOf(market: string): string {
  return market.startsWith(MARKETS.layer1('')) ? 'layer1' : market;
}

function roundAll(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(o)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, round(v)]),
  );
}
