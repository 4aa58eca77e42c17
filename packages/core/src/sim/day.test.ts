import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent, EngineEvent } from '../engine/index.js';
import { eventToLine, lineToEvent, type MemoryEventLog } from '../engine/index.js';
import { runScript } from '../grid/powerflow/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { MS_PER_HOUR } from '../time/index.js';
import { type DayRun, runDay } from './day.js';
import { type Inventory, parseInventory } from './inventory.js';
import { parseDayScenario } from './scenario.js';
import { type DaySummary, summarize } from './summary.js';

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));
const feederPath = example('feeders/gridtier-residential/master.dss');
const inventory = parseInventory(
  JSON.parse(readFileSync(example('feeders/gridtier-residential/der.json'), 'utf8')),
);
const defaults = JSON.parse(readFileSync(example('scenarios/residential-day.json'), 'utf8'));
const scenario = (over: Record<string, unknown> = {}) => parseDayScenario({ ...defaults, ...over });
const subset = (n: number): Inventory => ({ ...inventory, prosumers: inventory.prosumers.slice(0, n) });

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});
const day = (inv: Inventory, over: Record<string, unknown> = {}, extraAgents: Agent[] = []) =>
  runDay(scenario(over), runScript(nodeScriptHost, feederPath).state, inv, { solver, extraAgents });
const eventsOf = (r: DayRun) => (r.engine.log as MemoryEventLog).events;
const lines = (r: DayRun) => eventsOf(r).map(eventToLine);

describe('the default day on the engine (residential example feeder)', () => {
  let r: DayRun;
  let s: DaySummary;
  beforeAll(async () => {
    r = await day(inventory);
    s = summarize(eventsOf(r));
  }, 300_000);

  it('runs every room: each activity counter is above zero', () => {
    for (const k of [
      'hems.jobsScheduled',
      'contracts.settled',
      'layer1.trades',
      'layer2.commitments',
      'layer3.trades',
      'intraday.trades',
      'dso.flags',
      'flex.calls',
      'flex.settled',
      'leases.granted',
      'rules.acted',
      'rules.refused',
      'vpp.goals',
      'lem.dayAhead.clearings',
      'lem.realTime.clearings',
    ])
      expect(s.activity[k], k).toBeGreaterThan(0);
    expect(s.activity['agents.failed']).toBeUndefined();
    expect(s.lem.dayAhead?.status).toBe('optimal');
  });

  it('keeps money: every market, the retailer and the whole day sum to zero', () => {
    const scale = Object.values(s.money.byAccount).reduce((a, x) => a + Math.abs(x), 0);
    expect(Math.abs(s.money.sumUsd)).toBeLessThan(1e-9 * scale + 1e-6);
    for (const [source, usd] of Object.entries(s.money.sumBySource))
      expect(Math.abs(usd), source).toBeLessThan(1e-6);
    expect(Object.keys(s.money.byAccount)).toEqual(
      expect.arrayContaining(['households', 'retailer', 'dso', 'iso', 'vpps']),
    );
  });

  it('mints energy tokens only for verified delivery, and the ledger balances', () => {
    expect(s.settlement.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
    expect(s.settlement.energyTokensWh).toBe(s.settlement.deliveredWh);
    expect(s.settlement.deliveredWh).toBeGreaterThan(0);
    // Layer I's volume is what the ledger settled, to the rounding of each trade to whole Wh
    const contractedWh = s.settlement.deliveredWh + s.settlement.shortfallWh;
    expect(Math.abs(contractedWh - 1000 * s.p2p.layer1.kwh)).toBeLessThanOrEqual(s.settlement.trades);
  });

  it("splits each fleet's enabled demand by colour tier, the tiers adding up to it", () => {
    for (const v of s.vpps) {
      expect(Object.keys(v.enabledByTierKw).sort()).toEqual(['black', 'green', 'red', 'yellow']);
      v.enabledKw.forEach((kw, k) => {
        const tiers = Object.values(v.enabledByTierKw).reduce((a, xs) => a + xs[k], 0);
        // each figure is rounded to the watt in the summary
        expect(Math.abs(tiers - kw)).toBeLessThanOrEqual(0.005);
      });
      // the shed tiers are the controlled ones: the green band is shed somewhere in the day
      expect(Math.min(...v.enabledByTierKw.green)).toBeLessThan(Math.max(...v.enabledByTierKw.green));
    }
  });

  it('follows the ISO regulation signal in every quarter hour a VPP committed capacity, scored as PJM does', () => {
    const scored = s.vpps.reduce((n, v) => n + v.regulation.quarters, 0);
    expect(scored).toBe(s.p2p.ancillary.commitments);
    for (const v of s.vpps.filter((x) => x.regulation.quarters > 0)) {
      // a fleet that ignored the signal would not correlate with it at all
      expect(v.regulation.accuracy).toBeGreaterThan(0.3);
      for (const part of ['accuracy', 'delay', 'precision', 'composite'] as const) {
        expect(v.regulation[part]).toBeGreaterThanOrEqual(0);
        expect(v.regulation[part]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('balances energy in every LEM interval: substation + market = loads + losses', () => {
    let n = 0;
    for (const e of eventsOf(r)) {
      const p = e.payload as {
        market?: string;
        result?: {
          energyBalance?: { substationKw: number; marketKw: number; loadKw: number; lossesKw: number }[];
        };
      };
      if (e.type !== 'market.cleared' || !p.market?.startsWith('lem-')) continue;
      for (const b of p.result?.energyBalance ?? []) {
        expect(Math.abs(b.substationKw + b.marketKw - b.loadKw - b.lossesKw)).toBeLessThan(
          1e-3 * (Math.abs(b.loadKw) + Math.abs(b.marketKw) + 1),
        );
        n++;
      }
    }
    expect(n).toBeGreaterThan(24);
  });

  it("runs each home's rules only on what the home holds: refused while its VPP holds the devices", () => {
    const leased = new Map<string, { fromMs: number; toMs: number; holder: string }[]>();
    for (const e of eventsOf(r))
      if (e.type === 'household.lease' && (e.payload as { granted: boolean }).granted)
        leased.set(e.actor, [
          ...(leased.get(e.actor) ?? []),
          e.payload as { fromMs: number; toMs: number; holder: string },
        ]);
    const rules = eventsOf(r)
      .filter((e) => e.type === 'household.rule')
      .map((e) => e.payload as { household: string; fromMs: number; done: boolean; reason?: string });
    expect(rules.length).toBeGreaterThan(0);
    for (const x of rules) {
      const vpp = (leased.get(x.household) ?? []).find((l) => l.fromMs <= x.fromMs && x.fromMs < l.toMs);
      expect(x.done).toBe(vpp === undefined);
      if (vpp) expect(x.reason).toContain(`leased to ${vpp.holder}`);
    }
  });

  it('replays: the summary from the written log is the summary of the day, byte for byte', () => {
    const text = lines(r);
    const again = summarize(text.map((l, i) => lineToEvent(l, 'events.jsonl', i + 1)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(s));
    // every event after the first is one sequence number after the one before
    eventsOf(r).forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
    });
  });
});

describe('a smaller day (60 prosumers)', () => {
  const small = subset(60);

  it('is deterministic: the same seed gives the same log', async () => {
    const hash = (r: DayRun) => createHash('sha256').update(lines(r).join('\n')).digest('hex');
    const [a, b] = [await day(small), await day(small)];
    expect(hash(a)).toBe(hash(b));
    expect(hash(await day(small, { seed: 5 }))).not.toBe(hash(a));
  }, 300_000);

  it('feeds back: a real-time price spike lowers the fleets’ demand and moves household load', async () => {
    // the late morning's real-time price at 2000 $/MWh instead of 40, when interruptible
    // appliances (water heating) run and can wait
    const spikeHour = 12;
    const spikedHours = [11, 12, 13];
    const calm = await day(small, { isoRealTimeUsdPerMwh: Array.from({ length: 24 }, () => 40) });
    const spiked = await day(small, {
      isoRealTimeUsdPerMwh: Array.from({ length: 24 }, (_, h) => (spikedHours.includes(h) ? 2000 : 40)),
    });
    const enabledInHour = (r: DayRun) => {
      let kw = 0;
      for (const e of eventsOf(r)) {
        if (e.type !== 'world.fleet') continue;
        const t = e.payload as { startMs: number; enabledKw: number };
        const h = Math.floor((t.startMs - r.dayStartMs) / MS_PER_HOUR);
        if (h === spikeHour) kw += t.enabledKw;
      }
      return kw;
    };
    const count = (r: DayRun, type: string) => eventsOf(r).filter((e: EngineEvent) => e.type === type).length;
    expect(enabledInHour(spiked)).toBeLessThan(0.9 * enabledInHour(calm));
    expect(count(spiked, 'household.defer')).toBeGreaterThan(count(calm, 'household.defer'));
  }, 300_000);

  it('raises red flags on a weak feeder, and the VPPs answer them', async () => {
    // the same feeder loaded to its limits: every site's base demand six times the example's
    const weak = {
      ...small,
      prosumers: small.prosumers.map((p) => ({ ...p, baseLoadKw: 6 * p.baseLoadKw })),
    };
    const r = await day(weak);
    const flags = eventsOf(r).filter((e) => e.type === 'dso.flag');
    expect(flags.length).toBeGreaterThan(0);
    const answered = eventsOf(r).filter(
      (e) =>
        e.type === 'vpp.goal' && (e.payload as { reasons: string[] }).reasons.some((x) => x.includes('flag')),
    );
    expect(answered.length).toBeGreaterThan(0);
    // the VPPs flagged shed more than the goals of their commitments alone asked
    const s = summarize(eventsOf(r));
    expect(s.activity['flex.calls']).toBeGreaterThan(0);
  }, 300_000);

  it('isolates an agent that throws: it is suspended, its orders refused by its id, and the day goes on', async () => {
    const rogue: Agent = {
      id: 'rogue',
      kind: 'rogue',
      interests: ['session.opened'],
      onEvent(e, ctx) {
        const p = e.payload as { market: string; id: string };
        if (!p.market.startsWith('layer1/')) return;
        const ack = ctx.submit({ market: 'intraday', order: { side: 'buy', quantity: 1, price: 0.1 } });
        if (ack.ok || ack.code !== 'SUSPENDED') throw new Error('rogue strategy failed');
      },
    };
    const r = await day(small, {}, [rogue]);
    const failed = eventsOf(r).filter((e) => e.type === 'agent.failed');
    expect(failed).toHaveLength(1);
    expect((failed[0].payload as { agent: string }).agent).toBe('rogue');
    expect(r.engine.isSuspended('rogue')).toBe(true);
    const s = summarize(eventsOf(r));
    expect(s.lem.realTime.statuses.optimal).toBeGreaterThan(200);
    expect(s.settlement.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
  }, 300_000);
});

describe('bad scenarios', () => {
  it('names unknown markets and agents by their field', () => {
    expect(() => scenario({ markets: ['layer1', 'lem-weekly'] })).toThrow(/markets\.1/);
    expect(() => scenario({ agents: ['household', 'wizard'] })).toThrow(/agents\.1/);
  });

  it('refuses prosumers on buses the feeder lacks before anything runs', async () => {
    const bad: Inventory = { ...inventory, prosumers: [{ ...inventory.prosumers[0], bus: 'nowhere' }] };
    await expect(day(bad)).rejects.toThrow(/prosumer .*unknown bus "nowhere"/);
  });
});
