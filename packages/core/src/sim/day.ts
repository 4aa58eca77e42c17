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
import { type Agent, Engine, type EventLog } from '../engine/index.js';
import { buildNetwork, type DssCircuitState } from '../grid/dss/index.js';
import * as L from '../ledger/index.js';
import type { LpSolver } from '../opt/index.js';
import {
  HOURS_PER_DAY,
  hourlyPrices,
  hoursMs,
  intervalsPerDay,
  MS_PER_DAY,
  MS_PER_HOUR,
  minutesMs,
  PRODUCTS,
  type SessionWindow,
  SimulatedClock,
} from '../time/index.js';
import { CallMarket, ContinuousMarket, FlexMarket, LemMarket } from '../venues/index.js';
import type { Inventory } from './inventory.js';
import { siteDays } from './profiles.js';
import type { DayScenario } from './scenario.js';
import { SettlementOperator } from './settlement.js';
import { World } from './world.js';

export interface DayOptions {
  solver: LpSolver;
  /** where the day's events go; in memory by default */
  log?: EventLog;
  /** the ledger the Layer I trades settle on; an in-memory one by default */
  ledger?: L.Ledger;
  crypto?: L.CryptoSuite;
  onProgress?: (message: string) => void;
  /** agents beside the built-in ones (tests, outside strategies) */
  extraAgents?: readonly Agent[];
}

export interface DayRun {
  engine: Engine;
  dayStartMs: number;
  /** wall time per market kind and agent kind, and the world, ms */
  wallMs: Record<string, number>;
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

/** The feeder's first day-ahead gate comes the day before: the engine starts two hours before it. */
const LEAD_MS = minutesMs(PRODUCTS.dayAhead.gateLeadMinutes + PRODUCTS.dayAhead.openLeadMinutes) + hoursMs(1);

/**
 * One day of the whole hierarchy as markets and agents on the engine's simulated clock: the
 * ISO's prices in; households planning, trading peer to peer and following real-time prices;
 * their retailer in the LEM; VPPs steering their fleets; the DSO watching the metered grid;
 * every market opening, taking orders until its gate, clearing and publishing; the Layer I
 * trades settled on a ledger with the DSO's signed readings. What happened is the event log.
 */
export async function runDay(
  scenario: DayScenario,
  feeder: DssCircuitState,
  inventory: Inventory,
  options: DayOptions,
): Promise<DayRun> {
  const sites = inventory.prosumers;
  const progress = options.onProgress ?? (() => {});
  const dayStartMs = Date.parse(`${scenario.date}T00:00:00Z`);
  const retail = hourlyPrices(scenario.retailUsdPerKwh);
  const feedIn = hourlyPrices(scenario.feedInUsdPerKwh);
  const has = (m: (typeof scenario.markets)[number]) => scenario.markets.includes(m);
  const runs = (a: (typeof scenario.agents)[number]) => scenario.agents.includes(a);
  // every site's bus and phases exist on the feeder, or nothing runs
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

  const engine = new Engine({
    clock: new SimulatedClock(dayStartMs - LEAD_MS),
    timing: true,
    ...(options.log ? { log: options.log } : {}),
  });
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
  engine.publish({ type: 'day.started', actor: 'engine', payload: started });

  // ── the ISO's published prices, as the LEM reads them ──
  const isoPrices: IsoPrices[] = [];
  engine.observe(['iso.prices'], (e) => isoPrices.push(e.payload as IsoPrices));
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
  const dso = new DsoAgent(flow, {
    homes: world.fleets.flatMap((f) => f.members),
    flexCapUsdPerKwh: 0.5,
    callAfterFlags: 2,
    reliefSharePerCentPu: 0.1,
    alarmBandPu: scenario.dsoAlarmBandPu,
    voltageLimitsPu: scenario.voltageLimitsPu,
  });
  const settlement = new SettlementOperator(
    options.ledger ?? new L.MemoryLedger(undefined, options.crypto ?? L.jsCrypto),
    dsoKey(scenario.seed),
    options.crypto ?? L.jsCrypto,
    dayStartMs,
    retail,
  );
  const lemCommon = {
    feeder,
    solver: options.solver,
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
  if (has('lem-day-ahead')) engine.addMarket(dam);
  if (has('lem-real-time'))
    engine.addMarket(
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
      engine.addMarket(
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
    engine.addMarket(
      new CallMarket({
        id: MARKETS.ancillary,
        kind: 'ancillary',
        product: PRODUCTS.ahead15,
        mechanism: 'uniform',
      }),
    );
  if (has('layer3'))
    engine.addMarket(
      new CallMarket({ id: MARKETS.layer3, kind: 'layer3', product: PRODUCTS.ahead5, mechanism: 'uniform' }),
    );
  if (has('intraday'))
    engine.addMarket(
      new ContinuousMarket({
        id: MARKETS.intraday,
        kind: 'intraday',
        product: PRODUCTS.intraday60,
        networkChargeUsdPerKwh: charge,
      }),
    );
  if (has('flex'))
    engine.addMarket(
      new FlexMarket({
        id: MARKETS.flex,
        product: PRODUCTS.ahead15,
        buyer: ACCOUNTS.dso,
        reputationOf: (p) => dso.book.history(p).reputation,
      }),
    );

  // ── agents ──
  const agentStartMs = dayStartMs - LEAD_MS + minutesMs(1);
  if (runs('iso'))
    engine.addAgent(
      new IsoAgent({
        dayStartMs,
        dayAheadUsdPerMwh: isoDa,
        realTimeUsdPerMwh: isoRt,
        ancillaryDemandKwh: 0.1 * world.fleets.reduce((a, f) => a + Math.max(...f.flexKwByHour), 0) * 0.25,
        ancillaryPriceShare: 1,
      }),
      { startMs: agentStartMs },
    );
  if (runs('retailer'))
    engine.addAgent(
      new RetailerAgent({
        dayStartMs,
        homes: started.sites,
        retailUsdPerKwh: retail,
        feedInUsdPerKwh: feedIn,
        networkChargeUsdPerKwh: charge,
        seed: scenario.seed,
      }),
      { startMs: agentStartMs },
    );
  if (runs('household'))
    for (let i = 0; i < sites.length; i++)
      engine.addAgent(
        new HouseholdAgent(world.home(i), { dayStartMs, retailUsdPerKwh: retail, thresholdKwh: 0.05 }),
        {
          entrusts: [ACCOUNTS.retailer],
          startMs: agentStartMs,
        },
      );
  if (runs('vpp'))
    for (const f of world.fleets)
      engine.addAgent(
        new VppAgent(f, {
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
        { startMs: agentStartMs },
      );
  if (runs('dso')) engine.addAgent(dso, { startMs: agentStartMs });
  for (const a of options.extraAgents ?? []) engine.addAgent(a, { startMs: agentStartMs });

  world.attach(engine);
  await settlement.open(sites.map((s) => s.id));
  settlement.attach(engine, intervalsPerDay(PRODUCTS.ahead30.intervalMinutes));
  engine.observe(['market.cleared'], (e) => {
    const p = e.payload as { market: string; session: string; result: { status?: string } };
    if (p.market === MARKETS.lemDayAhead) progress(`day-ahead LEM cleared: ${p.result.status}`);
    else if (p.market === MARKETS.lemRealTime && e.t % (6 * MS_PER_HOUR) === 0 && e.t > dayStartMs)
      progress(`${(e.t - dayStartMs) / MS_PER_HOUR} h of ${HOURS_PER_DAY} cleared in real time`);
  });
  engine.planDay(dayStartMs);
  await engine.run(dayStartMs + MS_PER_DAY + minutesMs(10));
  const wallMs = Object.fromEntries([...engine.wallMs].map(([k, v]) => [k, v]));
  wallMs.world = (wallMs.world ?? 0) + worldBuildMs;
  return { engine, dayStartMs, wallMs };
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
