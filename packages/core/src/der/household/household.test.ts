import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../errors/index.js';
import { Prng } from '../../random/index.js';
import {
  type ApplianceJob,
  committedNetKwh,
  type Household,
  intradayOrders,
  planDayAhead,
  settleRealTime,
} from './index.js';

const flat = (v: number) => new Array<number>(24).fill(v);

function household(over: Partial<Household> = {}): Household {
  const load = flat(0.5);
  const pv = flat(0).map((_, h) => (h >= 8 && h < 17 ? 1.2 : 0));
  const jobs: ApplianceJob[] = [
    {
      id: 'dishwasher',
      earliestHour: 18,
      windowHours: 6,
      durationHours: 2,
      interruptible: false,
      energyKwhPerHour: 1,
    },
    { id: 'ev', earliestHour: 0, windowHours: 7, durationHours: 3, interruptible: true, energyKwhPerHour: 3 },
  ];
  return {
    id: 'h1',
    loadKwh: load,
    pvKwh: pv,
    jobs,
    reservationUsdPerKwh: 0.25,
    feedInUsdPerKwh: 0.04,
    networkFeeUsdPerKwh: 0.05,
    acceptUsdPerKwh: 0.04,
    ...over,
  };
}

const prices = Array.from({ length: 24 }, (_, h) => 0.04 + 0.03 * Math.sin((h - 6) / 3.8));

describe('household day-ahead', () => {
  it('bids and asks balance the surplus or deficit of every hour, scheduled jobs included', () => {
    const r = new Prng(3);
    for (let run = 0; run < 50; run++) {
      const h = household({
        loadKwh: flat(0).map(() => r.uniform(0, 2)),
        pvKwh: flat(0).map(() => r.uniform(0, 2)),
      });
      const day = prices.map((p) => p + 0.02 * r.normal());
      const plan = planDayAhead(h, run % 2 ? 'prediction' : 'normal', day);
      const net = committedNetKwh(plan.orders);
      plan.netKwh.forEach((x, hour) => {
        expect(net[hour]).toBeCloseTo(x, 12);
        expect(x).toBeCloseTo(h.pvKwh[hour] - h.loadKwh[hour] - plan.schedule.loadKwh[hour], 12);
      });
      const scheduled = plan.schedule.loadKwh.reduce((a, b) => a + b, 0);
      expect(scheduled).toBeCloseTo(2 * 1 + 3 * 3, 12);
      for (const { hour, order } of plan.orders) {
        expect(order.owner).toBe('h1');
        expect(order.id).toContain(`h${hour}`);
        expect(order.side).toBe(plan.netKwh[hour] > 0 ? 'sell' : 'buy');
        expect(order.price).toBeGreaterThanOrEqual(0);
        if (order.side === 'buy') expect(order.price).toBeLessThanOrEqual(h.reservationUsdPerKwh);
        else expect(order.price).toBeGreaterThanOrEqual(h.feedInUsdPerKwh);
      }
    }
  });

  it('the prediction plan puts the jobs in the cheapest hours of the forecast', () => {
    const plan = planDayAhead(household(), 'prediction', prices);
    const ev = plan.schedule.jobs.find((j) => j.id === 'ev')!;
    const cheapest = [0, 1, 2, 3, 4, 5, 6].sort((a, b) => prices[a] - prices[b]).slice(0, 3);
    expect([...ev.hours].sort()).toEqual([...cheapest].sort());
    const normal = planDayAhead(household(), 'normal', prices);
    expect(normal.schedule.jobs.find((j) => j.id === 'dishwasher')!.hours).toEqual([18, 19]);
    expect(plan.schedule.costUsd).toBeLessThan(normal.schedule.costUsd);
  });
});

describe('household intraday and real time', () => {
  it('re-trade orders equal the deviation beyond the threshold, and only that', () => {
    const h = household();
    const committed = flat(0).map((_, k) => (k % 3) - 1);
    const updated = committed.map((c, k) => c + [0.05, -0.4, 0.7, 0][k % 4]);
    const orders = intradayOrders(h, committed, updated, prices, { thresholdKwh: 0.1, fromHour: 4 });
    const retraded = committedNetKwh(orders);
    updated.forEach((u, k) => {
      const d = u - committed[k];
      expect(retraded[k]).toBeCloseTo(k >= 4 && Math.abs(d) > 0.1 ? d : 0, 12);
    });
    expect(orders.every((o) => o.hour >= 4)).toBe(true);
    const after = committedNetKwh([]).map((_, k) => committed[k] + retraded[k]);
    after.forEach((a, k) => {
      if (k >= 4) expect(Math.abs(updated[k] - a)).toBeLessThanOrEqual(0.1);
    });
  });

  it('imbalance is delivered − committed, settled short and long at their prices', () => {
    const committed = flat(0).map((_, k) => k - 12);
    const delivered = committed.map((c, k) => c + (k % 2 ? 0.5 : -0.25));
    const short = flat(0.3);
    const long = flat(0.02);
    const r = settleRealTime('h1', committed, delivered, { shortUsdPerKwh: short, longUsdPerKwh: long });
    let cost = 0;
    r.hours.forEach((x, k) => {
      expect(x.imbalanceKwh).toBeCloseTo(delivered[k] - committed[k], 12);
      expect(x.costUsd).toBeCloseTo(k % 2 ? -0.5 * 0.02 : 0.25 * 0.3, 12);
      cost += x.costUsd;
    });
    expect(r.costUsd).toBeCloseTo(cost, 12);
    expect(r.absImbalanceKwh).toBeCloseTo(12 * 0.5 + 12 * 0.25, 12);
  });
});

describe('household validation', () => {
  const rejects = (h: Household, pattern: RegExp) => {
    let caught: unknown;
    try {
      planDayAhead(h, 'prediction', prices);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidValueError);
    expect((caught as Error).message).toMatch(pattern);
  };
  const withJob = (job: Partial<ApplianceJob>) => household({ jobs: [{ ...household().jobs[0], ...job }] });

  it('names the field, household and job of bad input', () => {
    rejects(withJob({ durationHours: -1 }), /household h1, job dishwasher: durationHours = -1/);
    rejects(withJob({ durationHours: 5, windowHours: 4 }), /job dishwasher: durationHours 5 cannot fit/);
    rejects(
      withJob({ earliestHour: 20, windowHours: 6 }),
      /job dishwasher: windowHours 6 from hour 20 runs past/,
    );
    rejects(withJob({ energyKwhPerHour: Number.NaN }), /job dishwasher: energyKwhPerHour = NaN/);
    rejects(household({ loadKwh: flat(1).slice(0, 23) }), /household h1: loadKwh has 23 hours/);
    rejects(household({ pvKwh: [...flat(0).slice(1), Number.NaN] }), /household h1: pvKwh\[23\] = NaN/);
    rejects(household({ feedInUsdPerKwh: -0.1 }), /household h1: feedInUsdPerKwh = -0.1/);
    expect(() => planDayAhead(household(), 'normal', prices.slice(1))).toThrow(InvalidValueError);
    expect(() => intradayOrders(household(), flat(0), flat(0).slice(2), prices)).toThrow(
      /committedNetKwh has 24 hours, updatedNetKwh 22/,
    );
    expect(() =>
      settleRealTime('h9', flat(0), flat(0), { shortUsdPerKwh: flat(1), longUsdPerKwh: [1] }),
    ).toThrow(/household h9: longUsdPerKwh has 1 hours/);
  });
});
