import {
  ACCOUNTS,
  DsoAgent,
  FeederFlow,
  type FeederMap,
  HouseholdAgent,
  IsoAgent,
  type IsoPrices,
  MARKETS,
  RetailerAgent,
  VppAgent,
} from '../agents/index.js';
import { forecast } from '../der/index.js';
import type { Agent, Engine, MarketService } from '../engine/index.js';
import { InvalidValueError } from '../errors/index.js';
import { buildNetwork, type DssCircuitState } from '../grid/dss/index.js';
import * as L from '../ledger/index.js';
import { InProcessLemClearer, type LemClearer } from '../market/index.js';
import type { LpSolver } from '../opt/index.js';
import {
  hourlyPrices,
  hoursMs,
  intervalsPerDay,
  MS_PER_DAY,
  minutesMs,
  PRODUCTS,
  type SessionWindow,
} from '../time/index.js';
import { CallMarket, ContinuousMarket, FlexMarket, LemMarket } from '../venues/index.js';
import type { Inventory } from './inventory.js';
import { siteDays } from './profiles.js';
import type { DayScenario } from './scenario.js';
import { SettlementOperator } from './settlement.js';
import { World } from './world.js';

export interface DayBuildOptions {
  solver: LpSolver;
  /**
   * who clears the LEM's markets (a live server's: a worker thread with its own copy of the
   * feeder); by default `solver` in this thread
   */
  lemClearer?: LemClearer;
  /** the ledger the Layer I trades settle on; an in-memory one by default */
  ledger?: L.Ledger;
  crypto?: L.CryptoSuite;
  /** agents beside the built-in ones (tests, outside strategies) */
  extraAgents?: readonly Agent[];
}

/** `day.started`: what a replay needs besides the markets' and agents' events. */
export interface DayStarted {
  scenario: string;
  seed: number;
  date: string;
  dayStartMs: number;
  sites: { id: string; bus: string; phases: number[]; microgrid: string; vpp: string }[];
  retailUsdPerKwh: number[];
  feedInUsdPerKwh: number[];
  voltageLimitsPu: [number, number];
  markets: string[];
  agents: string[];
  /** the feeder's buses and branches, against which the DSO's `dso.grid` voltages and loadings are listed */
  feeder?: FeederMap;
}

/**
 * A scenario's day made ready for an engine: its markets, and what joins an engine that holds
 * them — the built-in agents, the physical world and the settlement operator.
 */
export interface DayBuild {
  dayStartMs: number;
  /** where an engine running the day starts: before the day-ahead market opens */
  engineStartMs: number;
  markets: MarketService[];
  /**
   * Publishes `day.started`, adds the agents (starting at `engineStartMs` plus a minute), the
   * world and the settlement to an engine holding `markets`; returns the agents' ids.
   */
  attach(engine: Engine): string[];
  /** wall time spent building the world, ms */
  worldBuildMs: number;
}

/** The feeder's first day-ahead gate comes the day before: an engine starts two hours before it. */
export const DAY_LEAD_MS =
  minutesMs(PRODUCTS.dayAhead.gateLeadMinutes + PRODUCTS.dayAhead.openLeadMinutes) + hoursMs(1);

/** The first day an engine whose clock starts at `startMs` can run whole (its day-ahead market included). */
export function firstWholeDayMs(startMs: number): number {
  return Math.ceil((startMs + DAY_LEAD_MS) / MS_PER_DAY) * MS_PER_DAY;
}

/**
 * Builds the whole hierarchy of a scenario's day: the ISO's prices in; households planning,
 * trading peer to peer and following real-time prices; their retailer in the LEM; VPPs steering
 * their fleets; the DSO watching the metered grid; every market of the scenario; the Layer I
 * trades settled on a ledger with the DSO's signed readings. Every site's bus and phases exist
 * on the feeder, or nothing is built.
 */
export async function buildDay(
  scenario: DayScenario,
  feeder: DssCircuitState,
  inventory: Inventory,
  options: DayBuildOptions,
): Promise<DayBuild> {
  const sites = inventory.prosumers;
  const dayStartMs = Date.parse(`${scenario.date}T00:00:00Z`);
  const engineStartMs = dayStartMs - DAY_LEAD_MS;
  const retail = hourlyPrices(scenario.retailUsdPerKwh);
  const feedIn = hourlyPrices(scenario.feedInUsdPerKwh);
  const has = (m: (typeof scenario.markets)[number]) => scenario.markets.includes(m);
  const runs = (a: (typeof scenario.agents)[number]) => scenario.agents.includes(a);
  const flow = new FeederFlow(
    feederWithoutLoads(feeder),
    sites,
    scenario.voltageLimitsPu,
    feeder.options,
    feeder.busCoords,
  );

  const synthetic = forecast.syntheticPriceHistory(scenario.seed, 1);
  const isoDa = scenario.isoDayAheadUsdPerMwh ?? synthetic.dayAhead;
  const isoRt = scenario.isoRealTimeUsdPerMwh ?? synthetic.realTime;

  const t0 = performance.now();
  const days = siteDays(sites, scenario.seed, scenario.forecastErrorPct);
  const world = new World(
    sites,
    days,
    dayStartMs,
    scenario.seed,
    scenario.vpp.devicesPerUnit,
    scenario.forecastErrorPct,
  );
  const worldBuildMs = performance.now() - t0;

  const started: DayStarted = {
    scenario: scenario.name,
    seed: scenario.seed,
    date: scenario.date,
    dayStartMs,
    sites: sites.map((s) => ({ id: s.id, bus: s.bus, phases: s.phases, microgrid: s.microgrid, vpp: s.vpp })),
    retailUsdPerKwh: retail,
    feedInUsdPerKwh: feedIn,
    voltageLimitsPu: scenario.voltageLimitsPu,
    markets: scenario.markets,
    agents: scenario.agents,
    feeder: flow.map,
  };

  // ── the ISO's published prices, as the LEM reads them (filled once attached) ──
  const isoPrices: IsoPrices[] = [];
  const pricesFor = (w: SessionWindow): number[] | undefined => {
    const out: number[] = [];
    for (let t = w.deliveryStartMs; t < w.deliveryEndMs; ) {
      const p = isoPrices
        .filter((x) => x.startMs <= t && t < x.startMs + x.usdPerMwh.length * minutesMs(x.intervalMinutes))
        .at(-1);
      if (!p) return undefined;
      const step = Math.min(minutesMs(p.intervalMinutes), w.deliveryEndMs - w.deliveryStartMs);
      out.push(p.usdPerMwh[Math.floor((t - p.startMs) / minutesMs(p.intervalMinutes))]);
      t += step;
    }
    return out;
  };

  // ── markets ──
  const markets: MarketService[] = [];
  const dso = new DsoAgent(flow, {
    homes: world.fleets.flatMap((f) => f.members),
    flexCapUsdPerKwh: 0.5,
    callAfterFlags: 2,
    reliefSharePerCentPu: 0.1,
    alarmBandPu: scenario.dsoAlarmBandPu,
    voltageLimitsPu: scenario.voltageLimitsPu,
  });
  const crypto = options.crypto ?? L.jsCrypto;
  const settlement = new SettlementOperator(
    options.ledger ?? new L.MemoryLedger(undefined, crypto),
    dsoKey(scenario.seed),
    crypto,
    dayStartMs,
    retail,
  );
  await settlement.open(sites.map((s) => s.id));
  const lemCommon = {
    feeder,
    clearer: options.lemClearer ?? new InProcessLemClearer(feeder, options.solver),
    isoPricesUsdPerMwh: pricesFor,
    voltageLimitsPu: scenario.voltageLimitsPu,
    loadMultiplier: 0,
  };
  const dam = new LemMarket({
    ...lemCommon,
    id: MARKETS.lemDayAhead,
    market: 'dam',
    product: PRODUCTS.dayAhead,
  });
  if (has('lem-day-ahead')) markets.push(dam);
  if (has('lem-real-time'))
    markets.push(
      new LemMarket({
        ...lemCommon,
        id: MARKETS.lemRealTime,
        market: 'rtm',
        product: PRODUCTS.rt5,
        dayAhead: dam,
      }),
    );
  const charge = scenario.networkChargeUsdPerKwh;
  if (has('layer1'))
    for (const mg of new Set(sites.map((s) => s.microgrid))) {
      const members = new Set(sites.filter((s) => s.microgrid === mg).map((s) => s.id));
      markets.push(
        new CallMarket({
          id: MARKETS.layer1(mg),
          kind: 'layer1',
          product: PRODUCTS.ahead30,
          mechanism: scenario.layer1Mechanism,
          networkChargeUsdPerKwh: charge,
          admits: (p) => (members.has(p) ? undefined : `${p} is not a member of microgrid ${mg}`),
          onTrades: settlement.onTrades,
        }),
      );
    }
  if (has('ancillary'))
    markets.push(
      new CallMarket({
        id: MARKETS.ancillary,
        kind: 'ancillary',
        product: PRODUCTS.ahead15,
        mechanism: 'uniform',
      }),
    );
  if (has('layer3'))
    markets.push(
      new CallMarket({ id: MARKETS.layer3, kind: 'layer3', product: PRODUCTS.ahead5, mechanism: 'uniform' }),
    );
  if (has('intraday'))
    markets.push(
      new ContinuousMarket({
        id: MARKETS.intraday,
        kind: 'intraday',
        product: PRODUCTS.intraday60,
        networkChargeUsdPerKwh: charge,
      }),
    );
  if (has('flex'))
    markets.push(
      new FlexMarket({
        id: MARKETS.flex,
        product: PRODUCTS.ahead15,
        buyer: ACCOUNTS.dso,
        reputationOf: (p) => dso.book.history(p).reputation,
      }),
    );

  // ── agents ──
  const agents = (): { agent: Agent; entrusts?: string[] }[] => {
    const out: { agent: Agent; entrusts?: string[] }[] = [];
    if (runs('iso'))
      out.push({
        agent: new IsoAgent({
          dayStartMs,
          dayAheadUsdPerMwh: isoDa,
          realTimeUsdPerMwh: isoRt,
          ancillaryDemandKwh: 0.1 * world.fleets.reduce((a, f) => a + Math.max(...f.flexKwByHour), 0) * 0.25,
          ancillaryPriceShare: 1,
          regulationSeed: scenario.seed + 7919,
        }),
      });
    if (runs('retailer'))
      out.push({
        agent: new RetailerAgent({
          dayStartMs,
          homes: started.sites,
          retailUsdPerKwh: retail,
          feedInUsdPerKwh: feedIn,
          networkChargeUsdPerKwh: charge,
          seed: scenario.seed,
        }),
      });
    if (runs('household'))
      for (let i = 0; i < sites.length; i++)
        out.push({
          agent: new HouseholdAgent(world.home(i), {
            dayStartMs,
            retailUsdPerKwh: retail,
            thresholdKwh: 0.05,
          }),
          entrusts: [ACCOUNTS.retailer],
        });
    if (runs('vpp'))
      for (const f of world.fleets)
        out.push({
          agent: new VppAgent(f, {
            dayStartMs,
            pricesUsdPerMwh: {
              green: scenario.vpp.offerUsdPerMwh,
              yellow: 2 * scenario.vpp.offerUsdPerMwh,
              red: 5 * scenario.vpp.offerUsdPerMwh,
            },
            confidence: 0.9,
            maxHours: scenario.vpp.maxHours,
            forwardShare: scenario.vpp.forwardShare,
            penaltyFactor: scenario.penaltyFactor,
          }),
        });
    if (runs('dso')) out.push({ agent: dso });
    for (const agent of options.extraAgents ?? []) out.push({ agent });
    return out;
  };

  let attached = false;
  const attach = (engine: Engine): string[] => {
    // the agents and the world hold the day's state: one engine only
    if (attached) throw new InvalidValueError(`the day of ${scenario.date} is attached to an engine already`);
    attached = true;
    engine.publish({ type: 'day.started', actor: 'engine', payload: started });
    engine.observe(['iso.prices'], (e) => isoPrices.push(e.payload as IsoPrices));
    const startMs = engineStartMs + minutesMs(1);
    const ids: string[] = [];
    for (const { agent, entrusts } of agents()) {
      engine.addAgent(agent, { startMs, ...(entrusts ? { entrusts } : {}) });
      ids.push(agent.id);
    }
    world.attach(engine);
    settlement.attach(engine, intervalsPerDay(PRODUCTS.ahead30.intervalMinutes));
    return ids;
  };
  return { dayStartMs, engineStartMs, markets, attach, worldBuildMs };
}

/** The feeder with its own loads switched off: the sites carry all demand. */
function feederWithoutLoads(state: DssCircuitState) {
  const saved = state.options.loadMult;
  state.options.loadMult = 0;
  try {
    const net = buildNetwork(state);
    net.applyBusBases(state.busBaseKvLn);
    return net;
  } finally {
    state.options.loadMult = saved;
  }
}

/** The simulated DSO's meter-oracle key, derived from the seed so a day replays exactly. */
function dsoKey(seed: number): Uint8Array {
  return L.jsCrypto.sha256(new TextEncoder().encode(`gridtier simulated DSO meter oracle ${seed}`));
}
