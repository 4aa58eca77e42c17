import type {
  Deferral,
  FleetGoal,
  FleetPort,
  FleetTelemetry,
  HomePort,
  HouseholdPlan,
  MeterReadings,
  RegulationScore,
  RuleAction,
} from '../agents/index.js';
import { ACCOUNTS } from '../agents/index.js';
import { controlOwnership, household as hh, regulation } from '../der/index.js';
import type { Engine, EngineEvent } from '../engine/index.js';
import { PHASE } from '../engine/index.js';
import { Prng } from '../random/index.js';
import { HOURS_PER_DAY, minutesMs, PRODUCTS } from '../time/index.js';
import type { ProsumerSite } from './inventory.js';
import { buildPlants, type Plant, ROUND_S, stepPlant } from './plant.js';
import { INTERVALS_PER_HOUR, type SiteDay, STEP_HOURS, STEP_MINUTES, STEPS } from './profiles.js';

const RT_MINUTES = STEP_MINUTES;

/** Metered values are rounded so the log reads as a meter reports: 0.1 W. */
const meter = (kw: number) => Math.round(kw * 1e4) / 1e4;

/**
 * The physical day, which no agent controls directly: every site's demand, PV and battery
 * (seeded), the households' appliances as their energy managers switched them, the VPPs'
 * devices under their tiered controllers towards the goals the aggregators set, and the meters
 * that report it all every five minutes to the DSO and the retailer.
 */
export class World {
  readonly plants: Plant[];
  /** per site, the appliance jobs' demand per interval, kW */
  private readonly jobKw: Float64Array[];
  private readonly goals = new Map<string, FleetGoal>();
  /** each VPP's quarter hour of regulation so far: the signal and its fleet's response, per round */
  private readonly regulating = new Map<
    string,
    { quarterStartMs: number; capacityKw: number; signal: number[]; response: number[] }
  >();
  /** per home: the intervals its own rules switched its flexible devices off */
  private readonly switchedOff: Set<number>[];
  /** per home: flexible demand a switch-off moved into the next interval, kW */
  private readonly reboundKw: Float64Array;
  private readonly homes: HomePort[];
  readonly fleets: FleetPort[];
  readonly leases = new controlOwnership.MemoryLeaseRegistry();

  constructor(
    private readonly sites: readonly ProsumerSite[],
    private readonly days: SiteDay[],
    private readonly dayStartMs: number,
    seed: number,
    devicesPerUnit: number,
    forecastErrorPct: number,
  ) {
    this.jobKw = sites.map(() => new Float64Array(STEPS));
    this.switchedOff = sites.map(() => new Set());
    this.reboundKw = new Float64Array(sites.length);
    this.plants = buildPlants(sites, seed, devicesPerUnit);
    const r = new Prng(seed ^ 0x4011d);
    this.homes = sites.map((s, i) => this.homePort(s, days[i], r, forecastErrorPct));
    this.fleets = this.plants.map((p) => this.fleetPort(p));
  }

  home(i: number): HomePort {
    return this.homes[i];
  }

  private homePort(s: ProsumerSite, d: SiteDay, r: Prng, errorPct: number): HomePort {
    const traits = hh.syntheticTraits(s.id, r);
    // the site's own EV is in its seeded demand already; the HEMS schedules the other appliances
    const jobs = hh.syntheticDay(traits, r).jobs.filter((j) => j.id !== 'ev');
    const forecast = Array.from(d.forecastNetKw);
    const trueKwh = Array.from({ length: HOURS_PER_DAY }, (_, h) => {
      let kwh = 0;
      for (let k = h * INTERVALS_PER_HOUR; k < (h + 1) * INTERVALS_PER_HOUR; k++)
        kwh += d.netKw[k] * STEP_HOURS;
      return kwh;
    });
    const noise = trueKwh.map(() => r.normal());
    const household = hh.householdFor(
      traits,
      jobs,
      forecast.map((x) => Math.max(0, -x)),
      forecast.map((x) => Math.max(0, x)),
    );
    return {
      site: { id: s.id, bus: s.bus, phases: s.phases, microgrid: s.microgrid, vpp: s.vpp },
      household,
      dayAheadNetKwh: forecast,
      // the error shrinks with the lead: a quarter of the day-ahead error two hours ahead
      updatedNetKwh: (h, lead) =>
        trueKwh[h] + (errorPct / 100 / (4 * Math.max(1, 2 / lead))) * (Math.abs(trueKwh[h]) + 0.1) * noise[h],
      leases: this.leases,
    };
  }

  private fleetPort(p: Plant): FleetPort {
    const flexKwByHour = Array.from({ length: HOURS_PER_DAY }, (_, h) => {
      let kw = 0;
      for (const i of p.members)
        for (let k = h * INTERVALS_PER_HOUR; k < (h + 1) * INTERVALS_PER_HOUR; k++)
          kw += this.days[i].flexKw[k] / INTERVALS_PER_HOUR;
      return kw;
    });
    const memberFlex = p.members.map((i) => this.days[i].flexKw.reduce((a, x) => a + x, 0));
    const total = memberFlex.reduce((a, x) => a + x, 0);
    return {
      vpp: p.vpp,
      members: p.members.map((i) => this.homes[i].site),
      spec: p.spec,
      seed: p.seed,
      flexKwByHour,
      memberShare: memberFlex.map((x) => (total > 0 ? x / total : 1 / memberFlex.length)),
    };
  }

  /** Follows what the agents switch (observing the log, as device gateways would) and meters every interval. */
  attach(engine: Engine): void {
    const index = new Map(this.sites.map((s, i) => [s.id, i]));
    engine.observe(
      ['household.plan', 'household.defer', 'household.rule', 'vpp.goal'],
      (e: EngineEvent) => {
        if (e.type === 'household.plan')
          this.applyPlan(index.get((e.payload as HouseholdPlan).household)!, e.payload as HouseholdPlan);
        else if (e.type === 'household.defer')
          this.applyDeferral(index.get((e.payload as Deferral).household)!, e.payload as Deferral);
        else if (e.type === 'household.rule')
          this.applyRule(index.get((e.payload as RuleAction).household)!, e.payload as RuleAction);
        else this.goals.set((e.payload as FleetGoal).vpp, e.payload as FleetGoal);
      },
      { all: true },
    );
    for (let k = 0; k < STEPS; k++) {
      const startMs = this.dayStartMs + k * minutesMs(RT_MINUTES);
      engine.at(startMs + minutesMs(RT_MINUTES), PHASE.world, 'world', () => this.step(engine, k, startMs));
    }
  }

  private applyPlan(i: number, p: HouseholdPlan): void {
    for (const j of p.jobs)
      for (const h of j.hours)
        for (let k = h * INTERVALS_PER_HOUR; k < (h + 1) * INTERVALS_PER_HOUR; k++)
          this.jobKw[i][k] += j.energyKwhPerHour;
  }

  private applyDeferral(i: number, d: Deferral): void {
    const step = minutesMs(RT_MINUTES);
    const from = Math.floor((d.fromMs - this.dayStartMs) / step);
    const to = Math.floor((d.toMs - this.dayStartMs) / step);
    const n = Math.max(1, Math.round(d.spanMs / step));
    const kw = d.kwh / (n * STEP_HOURS);
    for (let j = 0; j < n && to + j < STEPS; j++) {
      const moved = Math.min(this.jobKw[i][from + j], kw);
      this.jobKw[i][from + j] -= moved;
      this.jobKw[i][to + j] += moved;
    }
  }

  /**
   * A home's own rule switched its flexible devices off for an interval: their demand leaves it
   * and comes back in the interval after (thermostatic loads recover what they missed).
   */
  private applyRule(i: number, r: RuleAction): void {
    if (!r.done) return;
    const k = Math.floor((r.fromMs - this.dayStartMs) / minutesMs(RT_MINUTES));
    if (k >= 0 && k < STEPS) this.switchedOff[i].add(k);
  }

  /**
   * Collects a quarter hour's rounds of regulation and, at its last interval, scores the fleet's
   * response as PJM scores a regulating resource (accuracy, delay, precision).
   */
  private scoreRegulation(
    vpp: string,
    startMs: number,
    capacityKw: number,
    rounds: { signal: number[]; response: number[] },
  ): RegulationScore | undefined {
    const quarterMs = minutesMs(PRODUCTS.ahead15.intervalMinutes);
    const quarterStartMs = startMs - ((startMs - this.dayStartMs) % quarterMs);
    let q = this.regulating.get(vpp);
    if (q?.quarterStartMs !== quarterStartMs) {
      q = { quarterStartMs, capacityKw, signal: [], response: [] };
      this.regulating.set(vpp, q);
    }
    q.signal.push(...rounds.signal);
    q.response.push(...rounds.response);
    if (startMs + minutesMs(RT_MINUTES) !== quarterStartMs + quarterMs) return undefined;
    this.regulating.delete(vpp);
    // a quarter joined late (fewer rounds than PJM's delay search needs) is not scored
    if (q.signal.length * ROUND_S <= 2 * regulation.PJM_MAX_DELAY_S) return undefined;
    const sc = regulation.pjmPerformanceScore(q.signal, q.response, ROUND_S);
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    return {
      quarterStartMs,
      capacityKw: r4(q.capacityKw),
      accuracy: r4(sc.accuracy),
      delay: r4(sc.delay),
      precision: r4(sc.precision),
      composite: r4(sc.composite),
    };
  }

  private step(engine: Engine, k: number, startMs: number): void {
    const netKw = new Array<number>(this.sites.length);
    const flexKw = new Array<number>(this.sites.length);
    for (const p of this.plants) {
      const g = this.goals.get(p.vpp);
      const goal = g?.goalKw ?? null;
      const s = stepPlant(p, goal, g?.startMs === startMs ? g.regulation : undefined);
      // the fleet's shed share leaves each member's flexible demand
      for (const i of p.members) {
        const d = this.days[i];
        const due = d.flexKw[k] + this.reboundKw[i];
        this.reboundKw[i] = 0;
        let cut = s.shedShare * due;
        if (this.switchedOff[i].has(k)) {
          this.reboundKw[i] = due - cut;
          cut = due;
        }
        flexKw[i] = meter(due - cut);
        netKw[i] = meter(d.netKw[k] - (due - d.flexKw[k]) + cut - this.jobKw[i][k]);
      }
      const t: FleetTelemetry = {
        vpp: p.vpp,
        startMs,
        fullKw: s.fullKw,
        enabledKw: s.enabledKw,
        enabledByTierKw: s.enabledByTierKw,
        goalKw: goal,
        rmsTrackingErrorPct: s.rmsTrackingErrorPct,
        devices: p.devices,
      };
      const score =
        s.regulation && this.scoreRegulation(p.vpp, startMs, g!.regulation!.capacityKw, s.regulation);
      if (score) t.regulation = score;
      engine.publish({ type: 'world.fleet', actor: 'world', to: [p.vpp], payload: t });
    }
    const readings: MeterReadings = {
      startMs,
      intervalMinutes: RT_MINUTES,
      ...(k === 0 ? { sites: this.sites.map((s) => s.id) } : {}),
      netKw,
      flexKw,
    };
    engine.publish({
      type: 'meter.readings',
      actor: 'world',
      to: [ACCOUNTS.dso, ACCOUNTS.retailer],
      payload: readings,
    });
  }
}
