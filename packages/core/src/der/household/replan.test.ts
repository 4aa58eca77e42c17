import { describe, expect, it } from 'vitest';
import { Prng } from '../../random/index.js';
import {
  type ApplianceJob,
  committedNetKwh,
  deviationPricesUsdPerKwh,
  type Household,
  PATTERNS,
  planDayAhead,
  replanJobs,
  runsThrough,
} from './index.js';

const jobs: ApplianceJob[] = [
  {
    id: 'dishwasher',
    earliestHour: 18,
    windowHours: 6,
    durationHours: 2,
    interruptible: false,
    energyKwhPerHour: 1.1,
  },
  { id: 'ev', earliestHour: 0, windowHours: 8, durationHours: 3, interruptible: true, energyKwhPerHour: 3.6 },
  {
    id: 'heater',
    earliestHour: 10,
    windowHours: 6,
    durationHours: 2,
    interruptible: true,
    energyKwhPerHour: 1.5,
  },
];

const household: Household = {
  id: 'h1',
  loadKwh: new Array<number>(24).fill(0.4),
  pvKwh: new Array<number>(24).fill(0),
  jobs,
  reservationUsdPerKwh: 0.25,
  feedInUsdPerKwh: 0.04,
  networkFeeUsdPerKwh: 0.05,
  acceptUsdPerKwh: 0.04,
};

const randomPrices = (r: Prng) => Array.from({ length: 24 }, () => r.uniform(0.01, 0.08));

describe('intraday re-decision of the jobs', () => {
  it('with nothing frozen at gate 0 it is the day-ahead plan', () => {
    const r = new Prng(11);
    for (let run = 0; run < 20; run++) {
      const prices = randomPrices(r);
      for (const p of PATTERNS)
        expect(replanJobs(household, p, prices, [], 0)).toEqual(planDayAhead(household, p, prices).schedule);
    }
  });

  it('keeps frozen hours, runs started blocks through and re-plans the rest from the gate', () => {
    const r = new Prng(5);
    for (let run = 0; run < 20; run++) {
      const before = randomPrices(r);
      const after = randomPrices(r);
      for (const p of PATTERNS) {
        // freeze hours before each gate as the earlier plan had them, then re-plan on new prices
        for (const gate of [1, 2, 11, 12, 19, 20]) {
          const plan = replanJobs(household, p, before, [], 0);
          const frozen = plan.jobs.map((j) => j.hours.filter((h) => h < gate));
          const next = replanJobs(household, p, after, frozen, gate);
          next.jobs.forEach((j, n) => {
            const job = jobs[n];
            expect(j.hours).toHaveLength(job.durationHours);
            expect(j.hours.filter((h) => h < gate)).toEqual(frozen[n]);
            expect(new Set(j.hours).size).toBe(j.hours.length);
            for (const h of j.hours) {
              expect(h).toBeGreaterThanOrEqual(job.earliestHour);
              expect(h).toBeLessThan(job.earliestHour + job.windowHours);
            }
            const sorted = [...j.hours].sort((a, b) => a - b);
            if (runsThrough(p, job))
              expect(sorted[sorted.length - 1] - sorted[0]).toBe(job.durationHours - 1);
            // a started block cannot move: it keeps the hours it had
            if (frozen[n].length > 0 && runsThrough(p, job)) expect(j.hours).toEqual(plan.jobs[n].hours);
          });
          const load = next.jobs.reduce((a, j, n) => a + j.hours.length * jobs[n].energyKwhPerHour, 0);
          expect(next.loadKwh.reduce((a, b) => a + b, 0)).toBeCloseTo(load, 12);
        }
      }
    }
  });

  it('the prediction pattern re-plans an interruptible job in the cheapest hours left', () => {
    const prices = new Array<number>(24).fill(0.05);
    // the EV ran in hour 0; hours 1..7 are open, 5 and 6 the cheapest
    prices[5] = 0.01;
    prices[6] = 0.02;
    const s = replanJobs(household, 'prediction', prices, [[], [0], []], 1);
    expect(s.jobs[1].hours).toEqual([0, 5, 6]);
  });

  it('with no network fee and equal buy and sell limits, deviation costs are the forecast: the same plan', () => {
    // feed-in below and reservation above every price, so both limits are the forecast itself
    const free: Household = {
      ...household,
      networkFeeUsdPerKwh: 0,
      feedInUsdPerKwh: 0,
      reservationUsdPerKwh: 1,
    };
    const r = new Prng(23);
    for (let run = 0; run < 20; run++) {
      const before = randomPrices(r);
      const after = randomPrices(r);
      const plan = planDayAhead(free, 'prediction', before);
      const committedKwh = committedNetKwh(plan.orders).map((kwh) => kwh + r.uniform(-1, 1));
      for (const gate of [0, 1, 2, 11, 12, 19, 20]) {
        const frozen = plan.schedule.jobs.map((j) => j.hours.filter((h) => h < gate));
        expect(replanJobs(free, 'prediction', after, frozen, gate, committedKwh)).toEqual(
          replanJobs(free, 'prediction', after, frozen, gate),
        );
      }
    }
  });

  it('prices energy already committed at the sell limit and the rest at the buy limit', () => {
    const prices = new Array<number>(24).fill(0.05);
    const uncommittedKwh = new Array<number>(24).fill(0);
    uncommittedKwh[3] = 2; // more than the job needs
    uncommittedKwh[4] = 0.5; // half of it
    uncommittedKwh[5] = -1; // a deficit that is bought anyway
    const costs = deviationPricesUsdPerKwh(household, prices, uncommittedKwh, 1);
    expect(costs[3]).toBeCloseTo(0.05, 12);
    expect(costs[4]).toBeCloseTo(0.075, 12);
    expect(costs[5]).toBeCloseTo(0.1, 12);
    expect(costs[6]).toBeCloseTo(0.1, 12);
  });

  it('the prediction pattern moves a committed job only when the saving beats the fee', () => {
    const dayAhead = new Array<number>(24).fill(0.12);
    dayAhead[20] = dayAhead[21] = 0.1;
    const plan = planDayAhead(household, 'prediction', dayAhead);
    expect(plan.schedule.jobs[0].hours).toEqual([20, 21]);
    const committedKwh = committedNetKwh(plan.orders);
    const frozen = plan.schedule.jobs.map((j) => j.hours.filter((h) => h < 18));
    // hours 22–23 now look a little cheaper than 20–21: not worth the fee of buying them anew
    const slightly = [...dayAhead];
    slightly[22] = slightly[23] = 0.08;
    expect(replanJobs(household, 'prediction', slightly, frozen, 18, committedKwh).jobs[0].hours).toEqual([
      20, 21,
    ]);
    expect(replanJobs(household, 'prediction', slightly, frozen, 18).jobs[0].hours).toEqual([22, 23]);
    // much cheaper: the saving pays for selling back 20–21 and buying 22–23 across the fee
    const much = [...dayAhead];
    much[22] = much[23] = 0.01;
    expect(replanJobs(household, 'prediction', much, frozen, 18, committedKwh).jobs[0].hours).toEqual([
      22, 23,
    ]);
  });

  it('the acceptance and normal patterns ignore the commitments', () => {
    const r = new Prng(31);
    for (let run = 0; run < 10; run++) {
      const before = randomPrices(r);
      const after = randomPrices(r);
      for (const p of PATTERNS.filter((q) => q !== 'prediction')) {
        const plan = planDayAhead(household, p, before);
        const frozen = plan.schedule.jobs.map((j) => j.hours.filter((h) => h < 12));
        expect(replanJobs(household, p, after, frozen, 12, committedNetKwh(plan.orders))).toEqual(
          replanJobs(household, p, after, frozen, 12),
        );
      }
    }
  });
});
