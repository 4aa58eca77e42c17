import { describe, expect, it } from 'vitest';
import { estimateUpdateStd, forecastPaths, parsePriceCsv, syntheticPriceHistory } from './index.js';

describe('price forecasts with the seed’s update structure', () => {
  const history = syntheticPriceHistory(3, 120);

  it('a seeded history is reproducible and shaped like a market: evening above night', () => {
    expect(syntheticPriceHistory(3, 120)).toEqual(history);
    const mean = (h: number) =>
      history.dayAhead.filter((_, t) => t % 24 === h).reduce((a, x) => a + x, 0) / 120;
    expect(mean(19)).toBeGreaterThan(mean(3) * 1.3);
  });

  it('generated forecast errors have the variance the estimated updates add up to', () => {
    const std = estimateUpdateStd(history.dayAhead, 12);
    expect(std[0]).toBeGreaterThan(0);
    const actual = history.dayAhead.slice(0, 24 * 100);
    const forecast = forecastPaths(actual, std, 5);
    for (const lead of [1, 6, 12]) {
      let sq = 0;
      let n = 0;
      for (let t = lead; t < actual.length; t++, n++) sq += (forecast(t - lead)[lead] - actual[t]) ** 2;
      const expected = std.slice(0, lead).reduce((a, s) => a + s * s, 0);
      expect(sq / n).toBeGreaterThan(0.8 * expected);
      expect(sq / n).toBeLessThan(1.2 * expected);
    }
  });

  it('generated forecasts refine towards the actual price: errors shrink as the hour comes closer', () => {
    const std = estimateUpdateStd(history.dayAhead, 24);
    const actual = history.realTime.slice(0, 24 * 30);
    const forecast = forecastPaths(actual, std, 9);
    let far = 0;
    let near = 0;
    for (let t = 24; t < actual.length; t++) {
      far += (forecast(t - 12)[12] - actual[t]) ** 2;
      near += (forecast(t - 1)[1] - actual[t]) ** 2;
      expect(forecast(t)[0]).toBe(actual[t]);
    }
    expect(near).toBeLessThan(far);
  });

  it('reads a CSV of prices, with or without a header and label column, naming a bad line', () => {
    expect(parsePriceCsv('hour,price\n0,31.5\n1,29\n')).toEqual([31.5, 29]);
    expect(() => parsePriceCsv('10\n11\nabc\n', 'da.csv')).toThrow(/da.csv:3: "abc" is not a price/);
  });
});
