import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import { estimateUpdateStd, syntheticPriceHistory } from '../forecast/index.js';
import {
  CONTRACT_POLICIES,
  type ContractPolicy,
  type ContractTerms,
  DEFAULT_TERMS,
  settleHourContracts,
} from './contract-choice.js';
import { type DayAheadPlan, planDayAhead } from './day-ahead.js';
import { type DayForecasts, dayForecasts, dayViewAt } from './day-forecasts.js';
import { intradayOrders } from './intraday.js';
import { clearLocalMarket, ordersCostUsd } from './local-market.js';
import { committedNetKwh, type HourlyOrder, netPositionKwh } from './orders.js';
import {
  type HouseholdDay,
  type HouseholdTraits,
  householdFor,
  syntheticDay,
  syntheticTraits,
} from './profiles.js';
import { settleRealTime } from './real-time.js';
import { replanJobs } from './replan.js';
import { HOURS_PER_DAY, PATTERNS, type Pattern } from './types.js';

export interface SimulationOptions {
  households: number;
  days: number;
  seed: number;
  /** deviations up to this are left to real time instead of re-traded intraday, kWh */
  intradayThresholdKwh?: number;
  /**
   * the intraday round held at hour h trades the hours from h + this lead on; a round is held
   * every hour, the first before the day so that every hour is traded at least once, h
   */
  intradayLeadHours?: number;
  /** scales the load and PV forecast errors: 1 as modelled, 0 for perfect forecasts */
  loadPvErrorScale?: number;
  /**
   * whether the households re-decide their jobs in the intraday rounds; without, they keep the
   * day-ahead schedule and trade only their load and PV updates (a baseline that separates what
   * re-deciding earns from what re-trading it costs)
   */
  redecideIntraday?: boolean;
  /** how much worse than the real-time price imbalances settle, either way, $/kWh */
  imbalancePenaltyUsdPerKwh?: number;
  /** whose planned deficits the contract comparison buys for */
  contractPattern?: Pattern;
  terms?: ContractTerms;
}

export interface PatternReport {
  /** the household's whole day: day-ahead, intraday and imbalance, mean per household-day, $ */
  meanCostUsd: number;
  /** the controllable jobs' energy at the realized prices, mean per household-day, $ */
  meanApplianceCostUsd: number;
  meanDayAheadUsd: number;
  meanIntradayUsd: number;
  meanImbalanceUsd: number;
  meanAbsImbalanceKwh: number;
  /** energy bought and sold in all intraday rounds, mean per household-day, kWh */
  meanIntradayKwh: number;
  dayAheadOrders: number;
  intradayOrders: number;
  /** energy the households traded with each other in the local day-ahead market, kWh */
  localTradedKwh: number;
  /** energy the households traded with each other in the local intraday rounds, kWh */
  intradayLocalTradedKwh: number;
  /** every household's scheduled job load summed, per hour of the simulation, kWh */
  scheduledLoadKwh: number[];
}

export interface ContractReport {
  meanCostUsd: number;
}

export interface SimulationResult {
  households: number;
  days: number;
  seed: number;
  patterns: Record<Pattern, PatternReport>;
  contracts: Record<Exclude<ContractPolicy, 'chosen'>, ContractReport> & {
    chosen: ContractReport & { hoursByKind: Record<'spot' | 'forward' | 'option', number> };
    pattern: Pattern;
  };
  /** per hour of the simulation, $/kWh */
  prices: { dayAheadUsdPerKwh: number[]; realizedUsdPerKwh: number[] };
}

/** Days of price history before the simulated ones, from which the forecast errors are learned. */
const WARM_UP_DAYS = 7;
/** The day-ahead gate closes this long before the day starts (noon the day before). */
const GATE_LEAD_HOURS = 12;
const MAX_LEAD = GATE_LEAD_HOURS + HOURS_PER_DAY;

/** A seed for one purpose of one household and day, so changing N or D leaves others' draws alone. */
function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) h = Math.imul(h ^ (x >>> 0), 0x01000193) ^ (h >>> 15);
  return h >>> 0;
}

function checkOptions(o: SimulationOptions): void {
  const lead = o.intradayLeadHours;
  // forecasts reach back to the day-ahead gate, so no round can be held before it
  if (lead !== undefined && !(Number.isInteger(lead) && lead >= 1 && lead <= GATE_LEAD_HOURS))
    throw new InvalidValueError(
      `simulation: intradayLeadHours = ${lead} must be a whole number from 1 to ${GATE_LEAD_HOURS}`,
      { details: { field: 'intradayLeadHours' } },
    );
  const scale = o.loadPvErrorScale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale >= 0))
    throw new InvalidValueError(`simulation: loadPvErrorScale = ${scale} must be a finite number ≥ 0`, {
      details: { field: 'loadPvErrorScale' },
    });
  const whole = (field: 'households' | 'days' | 'seed', min: number) => {
    if (!(Number.isInteger(o[field]) && o[field] >= min))
      throw new InvalidValueError(`simulation: ${field} = ${o[field]} must be a whole number ≥ ${min}`, {
        details: { field },
      });
  };
  whole('households', 1);
  whole('days', 1);
  whole('seed', 0);
}

interface Forecasts {
  price: DayForecasts;
  load: DayForecasts;
  pv: DayForecasts;
}

/** PV errors are relative (no sun, no error): a forecast path of the clearness ratio, times the PV. */
function pvForecasts(pvKwh: readonly number[], seed: number, errorScale: number): DayForecasts {
  const ratio = dayForecasts(
    new Array<number>(HOURS_PER_DAY).fill(1),
    new Array(MAX_LEAD).fill(0.04 * errorScale),
    seed,
    GATE_LEAD_HOURS,
    0,
  );
  return {
    dayAhead: ratio.dayAhead.map((x, h) => x * pvKwh[h]),
    // hours before the day (forecasts made before it) have no PV of their own
    at: (h) => ratio.at(h).map((x, i) => x * (pvKwh[h + i] ?? 0)),
  };
}

interface Sums {
  cost: number;
  appliance: number;
  dayAhead: number;
  intraday: number;
  imbalance: number;
  absImbalance: number;
  daOrders: number;
  idOrders: number;
  idKwh: number;
  traded: number;
  idTraded: number;
  scheduled: number[];
}

const emptySums = (hours: number): Sums => ({
  cost: 0,
  appliance: 0,
  dayAhead: 0,
  intraday: 0,
  imbalance: 0,
  absImbalance: 0,
  daOrders: 0,
  idOrders: 0,
  idKwh: 0,
  traded: 0,
  idTraded: 0,
  scheduled: new Array<number>(hours).fill(0),
});

interface Member {
  traits: HouseholdTraits;
  day: HouseholdDay;
  f: Forecasts;
  /** per intraday round (indexed by its gate hour): the day's load and PV as known then, kWh */
  loadViewKwh: number[][];
  pvViewKwh: number[][];
}

type Options = Required<Omit<SimulationOptions, 'terms'>>;

/** One household's day under a pattern as the intraday rounds go by. */
interface MemberState {
  /** net energy sold (+) or bought (−) so far per hour, day-ahead and intraday, kWh */
  committedKwh: number[];
  /** per job, the hours it runs in that no later round can trade any more */
  frozenHours: number[][];
  intradayUsd: number;
}

/**
 * One pattern's day for every household: plan and clear day-ahead; then an intraday round every
 * hour in which each household takes the forecasts made then, re-decides what it can still
 * trade, and trades its deviation from its commitments, the rounds' orders cleared against each
 * other; hour g's appliance schedule is frozen at the last round that trades it (gate g), so in
 * real time the household follows its commitments and settles only its load and PV errors.
 */
function patternDay(
  members: readonly Member[],
  pattern: Pattern,
  dayAheadUsd: readonly number[],
  realizedUsd: readonly number[],
  priceViewUsd: readonly (readonly number[])[],
  o: Options,
  sums: Sums,
  dayOffset: number,
): { plans: DayAheadPlan[]; deliveredKwh: number[][] } {
  const plans = members.map((m) =>
    planDayAhead(
      householdFor(m.traits, m.day.jobs, m.f.load.dayAhead, m.f.pv.dayAhead),
      pattern,
      dayAheadUsd,
    ),
  );
  const market = clearLocalMarket(plans.flatMap((p) => p.orders));
  sums.traded += market.tradedKwh;
  const states: MemberState[] = members.map((m, i) => ({
    committedKwh: committedNetKwh(plans[i].orders),
    frozenHours: m.day.jobs.map(() => []),
    intradayUsd: 0,
  }));
  for (let gate = 0; gate < HOURS_PER_DAY; gate++) {
    const prices = priceViewUsd[gate];
    const orders: HourlyOrder[][] = members.map((m, i) => {
      const s = states[i];
      const updated = householdFor(m.traits, m.day.jobs, m.loadViewKwh[gate], m.pvViewKwh[gate]);
      const schedule = o.redecideIntraday
        ? replanJobs(updated, pattern, prices, s.frozenHours, gate, s.committedKwh)
        : plans[i].schedule;
      // this is the last round that trades the gate hour: what runs in it is now fixed
      schedule.jobs.forEach((j, n) => {
        if (j.hours.includes(gate)) s.frozenHours[n].push(gate);
      });
      return intradayOrders(
        updated,
        s.committedKwh,
        netPositionKwh(updated.loadKwh, updated.pvKwh, schedule.loadKwh),
        prices,
        { fromHour: gate, thresholdKwh: o.intradayThresholdKwh, round: `id${gate}` },
      );
    });
    const round = clearLocalMarket(orders.flat());
    sums.idTraded += round.tradedKwh;
    orders.forEach((own, i) => {
      const s = states[i];
      s.intradayUsd += ordersCostUsd(own, round.fills);
      committedNetKwh(own).forEach((kwh, h) => {
        s.committedKwh[h] += kwh;
      });
      for (const { order } of own) sums.idKwh += order.quantity;
      sums.idOrders += own.length;
    });
  }
  const deliveredKwh = members.map((m, i) => {
    const plan = plans[i];
    const s = states[i];
    const jobLoadKwh = new Array<number>(HOURS_PER_DAY).fill(0);
    let applianceUsd = 0;
    m.day.jobs.forEach((job, n) => {
      for (const h of s.frozenHours[n]) {
        jobLoadKwh[h] += job.energyKwhPerHour;
        applianceUsd += realizedUsd[h] * job.energyKwhPerHour;
      }
    });
    const delivered = netPositionKwh(m.day.loadKwh, m.day.pvKwh, jobLoadKwh);
    const fee = m.traits.networkFeeUsdPerKwh;
    const rt = settleRealTime(m.traits.id, s.committedKwh, delivered, {
      shortUsdPerKwh: realizedUsd.map((p) => Math.max(0, p) + fee + o.imbalancePenaltyUsdPerKwh),
      longUsdPerKwh: realizedUsd.map((p) => Math.max(0, p - o.imbalancePenaltyUsdPerKwh)),
    });
    const da = ordersCostUsd(plan.orders, market.fills);
    sums.cost += da + s.intradayUsd + rt.costUsd;
    sums.dayAhead += da;
    sums.intraday += s.intradayUsd;
    sums.imbalance += rt.costUsd;
    sums.absImbalance += rt.absImbalanceKwh;
    sums.appliance += applianceUsd;
    sums.daOrders += plan.orders.length;
    jobLoadKwh.forEach((kwh, h) => {
      sums.scheduled[dayOffset + h] += kwh;
    });
    return delivered;
  });
  return { plans, deliveredKwh };
}

/**
 * N seeded households over D days (Horta et al. §4.4 with the liu-small patterns): each day, for
 * each appliance pattern on the same realized prices and the same forecast updates, the
 * households plan day-ahead, clear their orders against each other, re-decide and re-trade in
 * hourly intraday rounds as the forecasts improve (liu-small's information updating), follow
 * their commitments in real time and settle what load and PV made them miss; the contract comparison buys the chosen pattern's planned deficits
 * under spot, forward, option, and each household's own chooseContract choice.
 */
export function simulateHouseholds(options: SimulationOptions): SimulationResult {
  checkOptions(options);
  const o = {
    intradayThresholdKwh: 0.1,
    intradayLeadHours: 1,
    loadPvErrorScale: 1,
    redecideIntraday: true,
    imbalancePenaltyUsdPerKwh: 0.02,
    contractPattern: 'prediction' as Pattern,
    ...options,
  };
  const terms = options.terms ?? DEFAULT_TERMS;
  const { households: n, days } = o;
  const history = syntheticPriceHistory(o.seed, WARM_UP_DAYS + days);
  const toKwh = (xs: number[]) => xs.map((x) => x / 1000);
  const warm = WARM_UP_DAYS * HOURS_PER_DAY;
  const priceStd = estimateUpdateStd(toKwh(history.realTime.slice(0, warm)), MAX_LEAD);
  const dayAhead = toKwh(history.dayAhead.slice(warm));
  const realized = toKwh(history.realTime.slice(warm));
  const traits = Array.from({ length: n }, (_, i) => syntheticTraits(`hh${i}`, new Prng(mix(o.seed, i, 1))));
  const sums = Object.fromEntries(PATTERNS.map((p) => [p, emptySums(days * HOURS_PER_DAY)])) as Record<
    Pattern,
    Sums
  >;
  const contractSums = { spot: 0, forward: 0, option: 0, chosen: 0 };
  const hoursByKind = { spot: 0, forward: 0, option: 0 };
  const cumulativeStd = priceStd.map((_, k) =>
    Math.sqrt(priceStd.slice(0, k + 1).reduce((a, s) => a + s * s, 0)),
  );

  for (let d = 0; d < days; d++) {
    const daUsd = dayAhead.slice(d * HOURS_PER_DAY, (d + 1) * HOURS_PER_DAY);
    const rtUsd = realized.slice(d * HOURS_PER_DAY, (d + 1) * HOURS_PER_DAY);
    const priceF = dayForecasts(rtUsd, priceStd, mix(o.seed, d, 2), GATE_LEAD_HOURS);
    // the round with gate g is held at hour g − lead, with the forecasts made then
    const madeAt = (gate: number) => gate - o.intradayLeadHours;
    const gates = Array.from({ length: HOURS_PER_DAY }, (_, gate) => gate);
    const priceViewUsd = gates.map((g) => dayViewAt(priceF, madeAt(g), rtUsd));
    const members: Member[] = traits.map((t, i) => {
      const day = syntheticDay(t, new Prng(mix(o.seed, i, d, 3)));
      const loadStd = new Array<number>(MAX_LEAD).fill(
        (0.04 * o.loadPvErrorScale * t.loadKwhPerDay) / HOURS_PER_DAY,
      );
      const load = dayForecasts(day.loadKwh, loadStd, mix(o.seed, i, d, 4), GATE_LEAD_HOURS, 0);
      const pv = pvForecasts(day.pvKwh, mix(o.seed, i, d, 5), o.loadPvErrorScale);
      return {
        traits: t,
        day,
        f: { price: priceF, load, pv },
        loadViewKwh: gates.map((g) => dayViewAt(load, madeAt(g), day.loadKwh)),
        pvViewKwh: gates.map((g) => dayViewAt(pv, madeAt(g), day.pvKwh)),
      };
    });
    for (const pattern of PATTERNS) {
      const r = patternDay(members, pattern, daUsd, rtUsd, priceViewUsd, o, sums[pattern], d * HOURS_PER_DAY);
      if (pattern !== o.contractPattern) continue;
      members.forEach((m, i) => {
        const cr = new Prng(mix(o.seed, i, d, 6));
        const expectedUsd = m.f.price.at(0);
        for (let h = 0; h < HOURS_PER_DAY; h++) {
          const plannedKwh = Math.max(0, -r.plans[i].netKwh[h]);
          const c = settleHourContracts(
            {
              plannedKwh,
              meteredKwh: Math.max(0, -r.deliveredKwh[i][h]),
              dayAheadUsdPerKwh: daUsd[h],
              expectedSpotUsdPerKwh: expectedUsd[h],
              // at the start of the day hour h is h hours ahead
              spotStdUsdPerKwh: h === 0 ? 0 : cumulativeStd[h - 1],
              meteredStdKwh:
                (0.04 * o.loadPvErrorScale * m.traits.loadKwhPerDay * Math.sqrt(h + 1)) / HOURS_PER_DAY,
              spotUsdPerKwh: rtUsd[h],
            },
            terms,
            cr,
            `${m.traits.id}-d${d}-h${h}`,
          );
          for (const p of CONTRACT_POLICIES) contractSums[p] += c.costUsd[p];
          if (plannedKwh > 0) hoursByKind[c.chosen]++;
        }
      });
    }
  }
  const per = n * days;
  const report = (s: Sums): PatternReport => ({
    meanCostUsd: s.cost / per,
    meanApplianceCostUsd: s.appliance / per,
    meanDayAheadUsd: s.dayAhead / per,
    meanIntradayUsd: s.intraday / per,
    meanImbalanceUsd: s.imbalance / per,
    meanAbsImbalanceKwh: s.absImbalance / per,
    meanIntradayKwh: s.idKwh / per,
    dayAheadOrders: s.daOrders,
    intradayOrders: s.idOrders,
    localTradedKwh: s.traded,
    intradayLocalTradedKwh: s.idTraded,
    scheduledLoadKwh: s.scheduled,
  });
  return {
    households: n,
    days,
    seed: o.seed,
    patterns: Object.fromEntries(PATTERNS.map((p) => [p, report(sums[p])])) as Record<Pattern, PatternReport>,
    contracts: {
      pattern: o.contractPattern,
      spot: { meanCostUsd: contractSums.spot / per },
      forward: { meanCostUsd: contractSums.forward / per },
      option: { meanCostUsd: contractSums.option / per },
      chosen: { meanCostUsd: contractSums.chosen / per, hoursByKind },
    },
    prices: { dayAheadUsdPerKwh: dayAhead, realizedUsdPerKwh: realized },
  };
}
