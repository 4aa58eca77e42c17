import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/index.js';
import { dayView } from './day-view.js';

const DAY = Date.parse('2026-07-01T00:00:00Z');
let seq = 0;
const ev = (t: number, type: string, payload: unknown, actor = 'x'): EngineEvent => ({
  seq: ++seq,
  t,
  type,
  actor,
  payload,
});

describe('dayView', () => {
  const feeder = {
    buses: [
      { name: 'src', phases: [1, 2, 3], x: null, y: null },
      { name: 'b1', phases: [1], x: null, y: null },
    ],
    branches: [{ name: 'Line.l1', from: 0, to: 1, normAmps: 100 }],
  };
  const events = [
    ev(DAY - 3600e3, 'day.started', { dayStartMs: DAY, feeder }, 'engine'),
    ev(DAY + 300e3, 'dso.grid', {
      startMs: DAY + 300e3,
      busVoltagesPu: [[1, 1, 1], [0.97]],
      branchLoadingPct: [42.5],
    }),
    ev(DAY + 600e3, 'market.cleared', {
      market: 'lem-rt',
      result: {
        status: 'optimal',
        dlmp: {
          nodes: ['b1.1'],
          intervals: [{ total: [71.234], energy: [70], loss: [1], congestion: [0.234] }],
        },
      },
    }),
    ev(DAY + 600e3, 'market.fill', { market: 'lem-rt', kwh: -2, usd: -0.2 }),
    ev(DAY + 600e3, 'market.fill', { market: 'lem-rt', kwh: 1, usd: 0.05 }),
    ev(DAY + 900e3, 'market.cleared', {
      market: 'layer1/mg_a',
      result: { trades: 2, volumeKwh: 4, clearingPriceUsdPerKwh: 0.1 },
    }),
    ev(DAY + 900e3, 'market.cleared', {
      market: 'layer1/mg_b',
      result: { trades: 1, volumeKwh: 1, clearingPriceUsdPerKwh: 0.2 },
    }),
    ev(DAY + 1200e3, 'market.trade', { market: 'intraday', usdPerKwh: 0.11, kwh: 0.5 }),
  ];

  it('keeps the feeder map and lists the DSO voltages and loadings by five-minute step', () => {
    const v = dayView(events);
    expect(v.feeder).toEqual(feeder);
    expect(v.busVoltagesPu[1]).toEqual([[1, 1, 1], [0.97]]);
    expect(v.branchLoadingPct[1]).toEqual([42.5]);
    expect(v.busVoltagesPu[0]).toBeNull();
    expect(v.dlmp.realTimeTotal[2]).toEqual([71.23]);
  });

  it('sums each kind of market: Layer I microgrids as one, the LEM by its fills', () => {
    const v = dayView(events);
    const layer1 = v.markets.find((m) => m.market === 'layer1')!;
    expect(layer1).toEqual({ market: 'layer1', clearings: 2, trades: 3, volumeKwh: 5, meanUsdPerKwh: 0.12 });
    const rt = v.markets.find((m) => m.market === 'lem-rt')!;
    expect(rt).toMatchObject({ trades: 2, volumeKwh: 3, meanUsdPerKwh: 0.08333 });
    expect(v.intraday).toEqual([{ t: DAY + 1200e3, usdPerKwh: 0.11, kwh: 0.5 }]);
    expect(v.tail.at(-1)).toMatchObject({ seq: seq, type: 'market.trade' });
  });
});
