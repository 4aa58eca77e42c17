import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../grid/powerflow/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { type DayResult, runDay } from './day.js';
import { type Inventory, parseInventory } from './inventory.js';
import { parseDayScenario } from './scenario.js';

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));
const feederPath = example('feeders/gridtier-residential/master.dss');
const inventory = parseInventory(
  JSON.parse(readFileSync(example('feeders/gridtier-residential/der.json'), 'utf8')),
);
const scenario = (over: Record<string, unknown> = {}) =>
  parseDayScenario({ feeder: 'f', inventory: 'i', seed: 4, rtmEveryMinutes: 60, ...over });
const subset = (n: number): Inventory => ({ ...inventory, prosumers: inventory.prosumers.slice(0, n) });

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});
const day = (inv: Inventory, over: Record<string, unknown> = {}) =>
  runDay(scenario(over), runScript(nodeScriptHost, feederPath).state, inv, { solver });

describe('one day of the whole hierarchy on the residential example feeder', () => {
  let r: DayResult;
  beforeAll(async () => {
    r = await day(inventory);
  }, 120_000);

  it('settles money and energy tokens that balance, minting only verified delivery', () => {
    const s = r.settlement;
    expect(s.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
    expect(s.energyTokensWh).toBe(s.deliveredWh);
    expect(s.deliveredWh + s.shortfallWh).toBe(s.contractedWh);
    // what Layer I traded is what the ledger settled, to the rounding of each trade to whole Wh
    expect(Math.abs(s.contractedWh - 1000 * r.hierarchy.layers.layer1.kwh)).toBeLessThanOrEqual(s.trades);
    expect(s.deliveredWh).toBeGreaterThan(0);
    // the local market's money: participants, the ISO boundary and the DSO's surplus
    const lem = r.dayAhead.settlement.reduce((a, l) => a + l.totalUsd, 0) + r.dayAhead.dsoSurplusUsd;
    expect(Math.abs(lem)).toBeLessThan(1e-6 * Math.max(1, Math.abs(r.dayAhead.dsoSurplusUsd)));
    const money = r.hierarchy.ledger;
    expect(Math.abs(money.prosumersUsd + money.utilityUsd + money.isoUsd + money.operatorUsd)).toBeLessThan(
      1e-6,
    );
  });

  it('solves every five minutes of the grid and reports any voltage outside the limits', () => {
    const g = r.grid;
    expect(g.converged).toBe(288);
    const lo = Math.min(...g.minVoltagePu);
    const hi = Math.max(...g.maxVoltagePu);
    if (g.violations === 0) {
      expect(lo).toBeGreaterThanOrEqual(0.95);
      expect(hi).toBeLessThanOrEqual(1.05);
    } else expect(g.worstNode).not.toBe('');
  });

  it('prices every bus and phase day ahead, the parts summing to the price, energy in balance', () => {
    expect(['optimal', 'relaxed']).toContain(r.dayAhead.status);
    for (const d of r.dayAhead.dlmp) expect(d.energy + d.congestion + d.loss).toBeCloseTo(d.total, 6);
    for (const e of r.dayAhead.energyBalance)
      expect(Math.abs(e.substationKw + e.marketKw - e.loadKw - e.lossesKw)).toBeLessThan(
        1e-3 * Math.max(1, Math.abs(e.substationKw)),
      );
    expect(r.realTime.intervals).toBe(24);
  });

  it('measures savings against the top-down baseline and keeps the VPPs on their goals', () => {
    for (const p of r.hierarchy.prosumers)
      expect(p.savingsUsd).toBeCloseTo(p.hierarchyUsd - p.baselineUsd, 9);
    for (const v of r.vpps) {
      if (v.eventHours.length > 0) expect(v.shedKwh).toBeGreaterThan(0);
      expect(v.rmsTrackingErrorPct).toBeLessThan(5);
      expect(v.maxTierOrderViolations).toBeGreaterThanOrEqual(0);
    }
    expect(Object.keys(r.timingMs).sort()).toEqual(
      ['grid', 'households', 'lem-day-ahead', 'lem-real-time', 'p2p', 'prices', 'settlement', 'vpp'].sort(),
    );
  });
});

describe('a day replays from its seed', () => {
  it('gives identical results for one seed and different ones for another', async () => {
    const strip = (x: DayResult) =>
      JSON.stringify({ ...x, timingMs: undefined, dayAhead: { ...x.dayAhead, timing: undefined } });
    const a = await day(subset(60));
    const b = await day(subset(60));
    const c = await day(subset(60), { seed: 5 });
    expect(strip(a)).toBe(strip(b));
    expect(strip(c)).not.toBe(strip(a));
  }, 120_000);

  it('refuses a scenario or inventory with a bad field, naming it', () => {
    expect(() => parseDayScenario({ feeder: 'f', inventory: 'i', voltageLimitsPu: [1.05, 0.95] })).toThrow(
      /voltageLimitsPu: the lower limit must be below the upper/,
    );
    expect(() => parseDayScenario({ feeder: 'f', inventory: 'i', rtmEveryMinutes: 7 })).toThrow(
      /rtmEveryMinutes/,
    );
    const bad = { prosumers: [{ ...inventory.prosumers[0], bus: 'nowhere' }] };
    return expect(day(parseInventory(bad))).rejects.toThrow(/prosumer res001: unknown bus "nowhere"/);
  });
});
