import { describe, expect, it } from 'vitest';
import { GridTierError } from '../errors/index.js';
import { clockFrom, SimulatedClock, type TimeSource } from './clock.js';
import { dayStartOf, intervalIndex, PRODUCTS, product, sessionsOfDay, windowOf } from './products.js';
import { HOURS_PER_DAY, intervalsPerDay, MS_PER_DAY, MS_PER_HOUR, minutesMs } from './units.js';

const day = Date.UTC(2026, 6, 15);

describe('products', () => {
  it('tile a day with sessions whose gates precede delivery by their lead', () => {
    for (const p of Object.values(PRODUCTS)) {
      const sessions = sessionsOfDay(p, day);
      expect(sessions.length * p.intervalMinutes * p.intervalsPerSession).toBe(HOURS_PER_DAY * 60);
      for (const s of sessions) {
        expect(s.deliveryStartMs - s.gateMs).toBe(minutesMs(p.gateLeadMinutes));
        expect(s.gateMs - s.openMs).toBe(minutesMs(p.openLeadMinutes));
        expect(s.deliveryStartMs).toBeGreaterThanOrEqual(day);
        expect(s.deliveryEndMs).toBeLessThanOrEqual(day + MS_PER_DAY);
      }
    }
  });

  it('close the day-ahead gate at 11:00 the day before, an hour before the ISO', () => {
    const [s] = sessionsOfDay(PRODUCTS.dayAhead, day);
    expect(new Date(s.gateMs).toISOString()).toBe('2026-07-14T11:00:00.000Z');
    expect(s.deliveryEndMs - s.deliveryStartMs).toBe(MS_PER_DAY);
  });

  it('refuse a product whose sessions do not tile the day', () => {
    expect(() =>
      product({
        name: 'odd',
        intervalMinutes: 7,
        intervalsPerSession: 1,
        gateLeadMinutes: 0,
        openLeadMinutes: 1,
      }),
    ).toThrow(GridTierError);
    expect(() => intervalsPerDay(7)).toThrow(/does not divide/);
  });

  it('index intervals from the start of the day', () => {
    expect(intervalsPerDay(5)).toBe(288);
    expect(intervalIndex(day, day + 2 * MS_PER_HOUR + minutesMs(7), 5)).toBe(25);
    expect(dayStartOf(day + 5 * MS_PER_HOUR)).toBe(day);
    expect(windowOf(PRODUCTS.ahead30, day).gateMs).toBe(day - minutesMs(30));
  });
});

describe('clocks', () => {
  it('a simulated clock jumps forward at once and never runs back', () => {
    const c = new SimulatedClock(day);
    expect(c.advanceTo(day + 1000)).toBeUndefined();
    expect(c.now()).toBe(day + 1000);
    c.advanceTo(day);
    expect(c.now()).toBe(day + 1000);
  });

  it('an accelerated clock runs real time ×N from its start', async () => {
    let real = 1_000_000;
    const slept: number[] = [];
    const source: TimeSource = {
      now: () => real,
      sleep: async (ms) => {
        slept.push(ms);
        real += ms;
      },
    };
    const c = clockFrom('x60', day, source);
    expect(c.mode).toBe('accelerated');
    real += 1000; // one real second is a simulated minute
    expect(c.now()).toBe(day + 60_000);
    await c.advanceTo(day + MS_PER_HOUR);
    expect(c.now()).toBe(day + MS_PER_HOUR);
    expect(slept.reduce((a, x) => a + x, 0)).toBeCloseTo(59_000, 6);
  });

  it('names a bad clock', () => {
    expect(() => clockFrom('x0', day)).toThrow(/clock "x0"/);
    expect(() => clockFrom('fast', day)).toThrow(/simulated, wall or xN/);
    expect(clockFrom('wall', day).mode).toBe('wall');
  });
});
