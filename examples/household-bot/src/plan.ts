import { type Job, predict, runNow } from '@gridtier/core/der/hems';

/** An appliance the household runs once a day, within a window of hours. */
export interface Appliance {
  name: string;
  /** the first hour of the day it may run in */
  earliestHour: number;
  windowHours: number;
  durationHours: number;
  interruptible: boolean;
  kw: number;
}

export interface AppliancePlan {
  name: string;
  /** hours of the day it runs in */
  hours: number[];
  /** what it costs at the published prices, $; and what running at once would have cost */
  usd: number;
  usdAtOnce: number;
}

export interface DayPlan {
  appliances: AppliancePlan[];
  /** the appliances' demand per hour of the day, kW */
  kwByHour: number[];
}

/**
 * Plans the day's appliances with the HEMS scheduler on a day's hourly prices ($/MWh): each one
 * runs in the hours its predict rule picks within its window, with the published prices as the
 * forecast (they are the day-ahead market's clearing, what the household can know).
 */
export function planDay(appliances: readonly Appliance[], usdPerMwh: readonly number[]): DayPlan {
  const kwByHour = usdPerMwh.map(() => 0);
  const plans = appliances.map((a) => {
    if (a.earliestHour + a.windowHours > usdPerMwh.length)
      throw new RangeError(`${a.name}: its window ends after hour ${usdPerMwh.length}`);
    const prices = usdPerMwh.slice(a.earliestHour, a.earliestHour + a.windowHours).map((p) => p / 1000);
    const job: Job = {
      windowHours: a.windowHours,
      durationHours: a.durationHours,
      interruptible: a.interruptible,
      kwh: a.kw,
    };
    const chosen = predict(job, prices, (h) => prices.slice(h));
    const hours = chosen.hours.map((h) => h + a.earliestHour);
    for (const h of hours) kwByHour[h] += a.kw;
    return { name: a.name, hours, usd: chosen.cost, usdAtOnce: runNow(job, prices).cost };
  });
  return { appliances: plans, kwByHour };
}
