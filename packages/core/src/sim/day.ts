import { forecast } from '../der/index.js';
import type { DssCircuitState } from '../grid/dss/index.js';
import * as L from '../ledger/index.js';
import {
  clearMarket,
  type Layer1Trade,
  type LemResult,
  type P2pDayResult,
  type Prosumer,
  simulateP2pDay,
} from '../market/index.js';
import type { LpSolver } from '../opt/index.js';
import { buildVppFleets, runFleets, type VppDay, vppOffers } from './fleets.js';
import { feederWithoutLoads, type GridDay, siteNodes, solveGridDay } from './grid-day.js';
import type { Inventory } from './inventory.js';
import { dayAheadOrders } from './lem-orders.js';
import { STEP_HOURS, siteDays } from './profiles.js';
import { type RealTimeDay, runRealTime } from './real-time.js';
import { atHour, type DayScenario } from './scenario.js';
import { type SettlementDay, settleDay } from './settle-day.js';

export type Tier =
  | 'prices'
  | 'households'
  | 'lem-day-ahead'
  | 'vpp'
  | 'p2p'
  | 'lem-real-time'
  | 'grid'
  | 'settlement';

export interface DayResult {
  scenario: string;
  seed: number;
  prosumers: number;
  iso: { dayAheadUsdPerMwh: number[]; realTimeUsdPerMwh: number[] };
  hierarchy: P2pDayResult;
  /** Layer I per 30-minute slot: energy traded and its volume-weighted price */
  layer1BySlot: { kwh: number; usdPerKwh: number }[];
  dayAhead: LemResult;
  vpps: VppDay[];
  realTime: RealTimeDay;
  grid: GridDay;
  /** the limits the grid's voltages were checked against, pu */
  voltageLimitsPu: [number, number];
  settlement: SettlementDay;
  /** wall time per tier, ms */
  timingMs: Record<Tier, number>;
}

export interface DayOptions {
  solver: LpSolver;
  /** the ledger the day settles on; an in-memory one by default */
  ledger?: L.Ledger;
  crypto?: L.CryptoSuite;
  onProgress?: (tier: Tier, message: string) => void;
}

/**
 * One day of the whole hierarchy on a feeder: ISO prices in; the sites' seeded days and
 * forecasts; the peer-to-peer hierarchy (Layer I microgrid markets, the VPPs' ancillary
 * commitments, Layer III every five minutes, the utility as fallback); the day-ahead local
 * energy market with DLMPs per bus and phase; an AC power flow of the actual state every five
 * minutes; meter readings signed by the DSO; the Layer I trades settled on the ledger.
 */
export async function runDay(
  scenario: DayScenario,
  feeder: DssCircuitState,
  inventory: Inventory,
  options: DayOptions,
): Promise<DayResult> {
  const timingMs = {} as Record<Tier, number>;
  const progress = options.onProgress ?? (() => {});
  const timed = async <T>(tier: Tier, work: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await work();
    timingMs[tier] = (timingMs[tier] ?? 0) + performance.now() - t0;
    return out;
  };
  const sites = inventory.prosumers;
  // every site's bus and phases exist on the feeder, or nothing runs
  const network = feederWithoutLoads(feeder);
  siteNodes(network, sites);
  const retail = (h: number) => atHour(scenario.retailUsdPerKwh, h);
  const feedIn = (h: number) => atHour(scenario.feedInUsdPerKwh, h);

  const iso = await timed('prices', () => {
    const synthetic = forecast.syntheticPriceHistory(scenario.seed, 1);
    return {
      dayAheadUsdPerMwh: scenario.isoDayAheadUsdPerMwh ?? synthetic.dayAhead,
      realTimeUsdPerMwh: scenario.isoRealTimeUsdPerMwh ?? synthetic.realTime,
    };
  });
  progress('prices', `ISO day-ahead ${minMax(iso.dayAheadUsdPerMwh)} $/MWh`);

  const days = await timed('households', () => siteDays(sites, scenario.seed, scenario.forecastErrorPct));
  progress('households', `${sites.length} sites planned their day`);

  const fleets = await timed('vpp', () => buildVppFleets(sites, scenario.seed, scenario.vpp.devicesPerUnit));
  const dayAhead = await timed('lem-day-ahead', () => {
    const orders = dayAheadOrders(
      sites,
      days,
      iso.dayAheadUsdPerMwh,
      retail,
      feedIn,
      scenario.voltageLimitsPu,
    );
    const v = scenario.vpp;
    orders.orders.push(...vppOffers(fleets, sites, days, v.shedShare, v.offerUsdPerMwh, v.maxHours));
    return clearMarket(feeder, orders, options.solver);
  });
  progress('lem-day-ahead', `cleared ${dayAhead.status}, ${dayAhead.dlmp.length} DLMPs`);

  // the fleets act on the day's actual demand, so every later tier meters what they left
  const vpps = await timed('vpp', () => runFleets(fleets, days, dayAhead.schedules));
  progress('vpp', `${vpps.length} VPPs shed ${vpps.reduce((a, v) => a + v.shedKwh, 0).toFixed(0)} kWh`);

  const trades: Layer1Trade[] = [];
  const hierarchy = await timed('p2p', () => {
    const index = (keys: string[]) => new Map([...new Set(keys)].map((k, i) => [k, i]));
    const vpps = index(sites.map((s) => s.vpp));
    const microgrids = index(sites.map((s) => s.microgrid));
    const prosumers: Prosumer[] = sites.map((s, i) => ({
      id: s.id,
      vpp: vpps.get(s.vpp)!,
      microgrid: microgrids.get(s.microgrid)!,
      netKwh: days[i].netKw.map((kw) => kw * STEP_HOURS),
    }));
    return simulateP2pDay(
      {
        seed: scenario.seed,
        vpps: vpps.size,
        microgridsPerVpp: 1,
        prosumersPerMicrogrid: 1,
        pvShare: 0,
        pvKwp: [0, 0],
        loadKwhPerDay: [0, 0],
        retailPerKwh: scenario.retailUsdPerKwh,
        feedInPerKwh: scenario.feedInUsdPerKwh,
        ancillaryPerKwh: iso.dayAheadUsdPerMwh.map((p) => Math.max(0, p) / 1000),
        penaltyFactor: scenario.penaltyFactor,
        forecastErrorPct: scenario.forecastErrorPct,
        layer1Mechanism: scenario.layer1Mechanism,
      },
      { prosumers, onLayer1Trade: (t) => trades.push(t) },
    );
  });
  progress(
    'p2p',
    `Layer I ${hierarchy.layers.layer1.trades} trades, ${hierarchy.layers.layer1.kwh.toFixed(0)} kWh`,
  );

  const realTime = await timed('lem-real-time', () =>
    runRealTime(
      feeder,
      sites,
      days,
      dayAhead,
      {
        isoRealTimeUsdPerMwh: iso.realTimeUsdPerMwh,
        retailUsdPerKwh: retail,
        feedInUsdPerKwh: feedIn,
        voltageLimitsPu: scenario.voltageLimitsPu,
        everySteps: scenario.rtmEveryMinutes / 5,
      },
      options.solver,
      (k) => {
        if (k % 72 === 0 && k > 0) progress('lem-real-time', `${(k / 12).toFixed(0)} h of 24 cleared`);
      },
    ),
  );
  progress(
    'lem-real-time',
    `${realTime.intervals} intervals, deviations ${realTime.deviationUsd.toFixed(2)} $`,
  );

  const grid = await timed('grid', () =>
    solveGridDay(feeder, network, sites, days, scenario.voltageLimitsPu, (k) => {
      if (k % 72 === 71) progress('grid', `AC power flow ${((k + 1) / 12).toFixed(0)} h of 24`);
    }),
  );

  const settlement = await timed('settlement', async () => {
    const crypto = options.crypto ?? L.jsCrypto;
    const ledger = options.ledger ?? new L.MemoryLedger(undefined, crypto);
    const oracleKey = dsoKey(scenario.seed);
    const oracle = L.oraclePublicKey(oracleKey);
    for (const s of sites) {
      await ledger.openAccount(s.id);
      await ledger.deposit(s.id, 1e12);
      await ledger.registerMeter(`meter-${s.id}`, s.id, oracle);
    }
    return settleDay(
      ledger,
      sites.map((s) => s.id),
      days,
      trades,
      oracleKey,
      retail,
      crypto,
    );
  });
  progress(
    'settlement',
    `${settlement.intervals} intervals, ${(settlement.deliveredWh / 1000).toFixed(0)} kWh verified`,
  );

  return {
    scenario: scenario.name,
    seed: scenario.seed,
    prosumers: sites.length,
    iso,
    hierarchy,
    layer1BySlot: bySlot(trades),
    dayAhead,
    vpps,
    realTime,
    grid,
    voltageLimitsPu: scenario.voltageLimitsPu,
    settlement,
    timingMs,
  };
}

function bySlot(trades: readonly Layer1Trade[]): { kwh: number; usdPerKwh: number }[] {
  const out = Array.from({ length: 48 }, () => ({ kwh: 0, usdPerKwh: 0 }));
  for (const t of trades) {
    out[t.slot].kwh += t.kwh;
    out[t.slot].usdPerKwh += t.kwh * t.buyerUsdPerKwh;
  }
  for (const s of out) s.usdPerKwh = s.kwh > 0 ? s.usdPerKwh / s.kwh : 0;
  return out;
}

/** The simulated DSO's meter-oracle key, derived from the seed so a day replays exactly. */
function dsoKey(seed: number): Uint8Array {
  return L.jsCrypto.sha256(new TextEncoder().encode(`gridtier simulated DSO meter oracle ${seed}`));
}

function minMax(xs: readonly number[]): string {
  return `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
}
