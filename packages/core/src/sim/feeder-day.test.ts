import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeederFlow } from '../agents/index.js';
import type { EngineEvent, MemoryEventLog } from '../engine/index.js';
import { buildNetwork } from '../grid/dss/index.js';
import { runScript } from '../grid/powerflow/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver } from '../opt/index.js';
import { runDay } from './day.js';
import { inventoryFromFeeder } from './feeder-inventory.js';
import { FROM_FEEDER, parseDayScenario } from './scenario.js';
import { type DaySummary, summarize } from './summary.js';

const examplePath = fileURLToPath(
  new URL('../../../../examples/scenarios/demo-feeder-day.json', import.meta.url),
);
const shared = (p: string) => {
  const path = fileURLToPath(new URL(`../../../../../shared/feeders/${p}`, import.meta.url));
  return existsSync(path) ? path : undefined;
};

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

/** A day on a feeder whose prosumers are placed at its own loads, as `gridtier simulate --feeder` runs it. */
async function feederDay(doc: Record<string, unknown>, base: string) {
  const scenario = parseDayScenario(doc);
  expect(scenario.inventory).toBe(FROM_FEEDER);
  const feederPath = resolve(base, scenario.feeder);
  const inventory = inventoryFromFeeder(
    runScript(nodeScriptHost, feederPath).state,
    scenario.feederInventory,
  );
  const run = await runDay(scenario, runScript(nodeScriptHost, feederPath).state, inventory, { solver });
  const events = (run.engine.log as MemoryEventLog).events;
  return { events, summary: summarize(events), sites: inventory.prosumers.length };
}

/** What every day keeps: money sums to zero per market and overall, tokens for verified delivery only, LEM balance. */
function expectInvariants(events: readonly EngineEvent[], s: DaySummary) {
  expect(s.activity['agents.failed']).toBeUndefined();
  const scale = Object.values(s.money.byAccount).reduce((a, x) => a + Math.abs(x), 0);
  expect(Math.abs(s.money.sumUsd)).toBeLessThan(1e-9 * scale + 1e-6);
  for (const [source, usd] of Object.entries(s.money.sumBySource))
    expect(Math.abs(usd), source).toBeLessThan(1e-6);
  expect(s.settlement.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
  expect(s.settlement.energyTokensWh).toBe(s.settlement.deliveredWh);
  let n = 0;
  for (const e of events) {
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
  expect(s.lem.realTime.statuses.optimal ?? 0).toBeGreaterThan(0);
}

describe('the day on a feeder’s own loads', () => {
  it('runs the example scenario on the demo feeder: every market trades, the invariants hold', async () => {
    const doc = JSON.parse(readFileSync(examplePath, 'utf8'));
    const { events, summary: s, sites } = await feederDay(doc, dirname(examplePath));
    expect(sites).toBeGreaterThan(40); // the 12 loads split into service prosumers of 100 kW
    expectInvariants(events, s);
    for (const k of ['layer1.trades', 'intraday.trades', 'layer3.trades', 'layer2.commitments', 'vpp.goals'])
      expect(s.activity[k], k).toBeGreaterThan(0);
    expect(s.lem.dayAhead?.status).toBe('optimal');
    expect(s.lem.realTime.statuses.optimal).toBe(288);
    expect(s.settlement.deliveredWh).toBeGreaterThan(0);
  }, 300_000);

  const ieee: [string, string | undefined][] = [
    ['IEEE 13', shared('13Bus/IEEE13Nodeckt.dss')],
    ['IEEE 123', shared('123Bus/IEEE123Master.dss')],
  ];
  for (const [name, path] of ieee) {
    it.skipIf(!path)(
      `runs a day on ${name} with the scenario’s defaults; the invariants hold`,
      async () => {
        const { events, summary: s, sites } = await feederDay({ name, feeder: path }, '.');
        expect(sites).toBeGreaterThan(10);
        expectInvariants(events, s);
        expect(s.lem.dayAhead?.status).toBe('optimal');
        expect(s.lem.realTime.statuses.optimal).toBe(288);
        expect(s.activity['layer1.trades']).toBeGreaterThan(0);
      },
      300_000,
    );
    if (!path) console.log(`skipped: the ${name} day needs ../shared/feeders beside the repository`);
  }

  const ieee8500 = shared('../reference/opendss/cases/ieee8500.dss');
  it.skipIf(!ieee8500)(
    'solves the DSO’s flow of IEEE 8500 with its 1,177 prosumers, the regulators walking far',
    () => {
      const state = runScript(nodeScriptHost, ieee8500!).state;
      const sites = inventoryFromFeeder(state).prosumers;
      state.options.loadMult = 0;
      const net = buildNetwork(state);
      net.applyBusBases(state.busBaseKvLn);
      const flow = new FeederFlow(net, sites, [0.95, 1.05], state.options, state.busCoords);
      // twice the sites' mean demand: the feeder's 10 control iterations were not enough for its taps
      const g = flow.solve(
        0,
        sites.map((p) => -2 * p.baseLoadKw),
      );
      expect(g.converged).toBe(true);
      const demandKw = sites.reduce((a, p) => a + 2 * p.baseLoadKw, 0);
      expect(g.substationKw).toBeGreaterThan(demandKw);
      expect(g.substationKw).toBeLessThan(1.3 * demandKw); // losses of a long, heavily loaded feeder
    },
    120_000,
  );
  if (!ieee8500) console.log('skipped: the IEEE 8500 flow needs ../shared beside the repository');
});
